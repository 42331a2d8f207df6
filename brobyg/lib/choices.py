from brobyg.lib.rows import choice_label_map


def choice_labels(choices, codes) -> list[str]:
    """The display labels of stored codes, in the active language; unknown codes as they are.
    ``choices`` is a TextChoices class or a list of (code, label) pairs."""
    labels = choice_label_map(choices)
    return [labels.get(code, str(code)) for code in codes or ()]
