from brobyg.sms import selectors


def citizen_texts(request, citizen) -> dict:
    """The citizen page's section: the latest texts to the citizen and how each went."""
    return {"texts": selectors.messages_of_citizen(citizen)}
