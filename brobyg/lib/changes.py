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


def reject_unknown_fields(data, allowed, message: str = "Unknown fields") -> None:
    """A service takes only the fields it knows: any other key of ``data`` is a programming
    error (a form or caller out of step with the service), raised as ``ValueError``."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"{message}: {sorted(unknown)}")
