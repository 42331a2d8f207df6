"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The conversation these rows point at is on Bob's course (support's "course" target), not the
matrix's own peer user's, so another peer gets 404 for it, as does everyone of organisation B.
The citizen's pages are opened by the personal link alone, for anyone holding it (200 for every
role and for an anonymous visitor); an unknown link is 404 (tested beside the feature). On a
new device the start page (ask for a one-time code) is open to all, and a conversation opened by
code is 404 to every session that has not entered the citizen's code (test_device.py).
"""

from brobyg.test import in_org

# fmt: off
ROWS = [
    ("conversations_list", "GET", None,
     "own:     403 200 200 403 403 403 403 403",
     "foreign: 403 200 200 403 403 403 403 403"),
    ("conversations_answering_hours", "GET", None,
     "own:     200 200 403 403 403 403 403 403",
     "foreign: 200 200 403 403 403 403 403 403"),
    ("conversations_conversation", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_new", "GET", "course",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_hand_over", "POST", "course",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_pause", "POST", "course",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_resume", "POST", "course",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    # The group (groups' "group" target) is facilitated by Bob, not by the matrix's peer user.
    ("conversations_group_conversation", "GET", "group",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_group_conversation", "POST", "group",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_group_new", "GET", "group",
     "own:     403 204 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("conversations_attachment", "GET", "attachment",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    # Only a browser that opened the conversation (by link or code) gets its attachments.
    ("conversations_citizen_attachment", "GET", "attachment",
     "own:     404 404 404 404 404 404 404 404",
     "foreign: 404 404 404 404 404 404 404 404",
     404),
    ("conversations_device_start", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("conversations_device_conversation", "GET", "conversation",
     "own:     404 404 404 404 404 404 404 404",
     "foreign: 404 404 404 404 404 404 404 404",
     404),
    ("conversations_device_new", "GET", "conversation",
     "own:     404 404 404 404 404 404 404 404",
     "foreign: 404 404 404 404 404 404 404 404",
     404),
    ("conversations_citizen", "GET", "conversation_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("conversations_citizen_new", "GET", "conversation_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
]
# fmt: on


def make_targets(personas, targets):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brobyg.conversations import services

    with in_org(personas.org_a):
        message = services.message_write(
            actor=personas.alice,
            course=targets["course"],
            text="Hej, hvordan går det?",
            upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 demo", "application/pdf"),
        )
        token = services.link_create(conversation=message.conversation)
    message.public_id = message.attachment_key  # the matrix passes public_id=
    return {
        "conversation_token": token,
        "conversation": message.conversation,
        "attachment": message,
    }
