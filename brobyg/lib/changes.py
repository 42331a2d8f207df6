def assign_changes(instance, data: dict) -> list[str]:
    """Set ``data`` on ``instance`` and return the sorted names of the fields whose stored value
    changes, for the audit log.

    Compared with the stored row, because a bound ModelForm has already changed the instance.
    """
    stored = type(instance)._base_manager.get(pk=instance.pk)
    changed = sorted(name for name, value in data.items() if getattr(stored, name) != value)
    for name, value in data.items():
        setattr(instance, name, value)
    return changed
