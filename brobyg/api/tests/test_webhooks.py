"""Webhooks: a client's system is told of events by a signed POST holding ids only, only of
objects the client may see, after the change commits; failures are tried again with back-off up
to a cap, and the admin sees every delivery and can send one again."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.api import services, services_webhooks
from brobyg.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status
from brobyg.lib import crypto
from brobyg.outcomes import services as outcome_services
from brobyg.outcomes.models import Response
from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments
from brobyg.support import services as support_services
from brobyg.support.models import Handover
from brobyg.test import assert_queries_do_not_grow, in_org, make_peer, make_waiting_request

pytestmark = pytest.mark.django_db


def subscribe(personas, roles, url, events, name=None):
    api_client, client_id, secret = make_api_client(
        personas.org_a, roles, actor=personas.ada, name=name
    )
    with in_org(personas.org_a):
        subscription, signing_secret = services.subscription_create(
            actor=personas.ada, api_client=api_client, url=url, events=events
        )
    return api_client, (client_id, secret), subscription, signing_secret


def start_course(personas, bob_peer, capture):
    support_request, _token = make_waiting_request(personas.programme_a, name="Lone Holm")
    with in_org(personas.org_a), capture(execute=True):
        course = support_services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={},
            support_request=support_request,
        )
    return course


def deliveries():
    with scopes_disabled():
        return list(WebhookDelivery.objects.order_by("pk"))


def test_it_posts_a_signed_event_with_ids_only(
    client, personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    _api_client, credentials, _subscription, secret = subscribe(
        personas, ["coordinator"], receiver.url, ["course.started"]
    )
    receiver.secret = secret
    course = start_course(personas, bob_peer, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    delivery = receiver.received[0]
    assert delivery["signed"]
    assert delivery["headers"]["Brobyg-Event"] == "course.started"
    event = json.loads(delivery["body"])
    assert set(event) == {"id", "type", "occurred_at", "organisation", "data"}
    assert event["type"] == "course.started"
    assert event["organisation"] == str(personas.org_a.public_id)
    assert event["data"] == {
        "course": str(course.public_id),
        "citizen": str(course.citizen.public_id),
        "request": str(course.support_request.public_id),
    }
    assert b"Lone" not in delivery["body"] and b"Holm" not in delivery["body"]
    (recorded,) = deliveries()
    assert recorded.status == DeliveryStatus.DELIVERED
    assert recorded.last_status_code == 200 and recorded.attempts == 1
    # The receiver fetches what it may see with the ids.
    courses = client.get(reverse("api_v1_course_list"), **bearer(client, *credentials)).json()
    assert [item["id"] for item in courses["items"]] == [event["data"]["course"]]
    # A tampered body or another secret does not verify.
    from brobyg.api import webhooks

    header = delivery["headers"][webhooks.SIGNATURE_HEADER]
    now = int(header.split(",")[0][2:])
    assert webhooks.verify(secret, header, delivery["body"], now=now)
    assert not webhooks.verify(secret, header, delivery["body"] + b" ", now=now)
    assert not webhooks.verify("whsec_other", header, delivery["body"], now=now)
    assert not webhooks.verify(secret, header, delivery["body"], now=now + 301)


def test_it_keeps_the_secret_encrypted(personas, receiver):
    _api_client, _credentials, _subscription, secret = subscribe(
        personas, ["coordinator"], receiver.url, ["course.started"]
    )
    with scopes_disabled():
        stored = WebhookSubscription.objects.get().secret_encrypted
    assert secret.startswith("whsec_") and secret not in stored
    assert crypto.decrypt(stored) == secret


def test_it_tells_only_clients_that_may_see_the_object(
    personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    events = ["request.status_changed", "course.started"]
    subscribe(personas, ["coordinator"], receiver.url, events, name="Coordinator system")
    subscribe(personas, ["referrer"], receiver.url, events, name="Referrer system")
    subscribe(personas, ["manager"], receiver.url, events, name="Manager system")
    support_request, _token = make_waiting_request(personas.programme_a)
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        intake_services.request_change_status(
            actor=personas.alice,
            support_request=support_request,
            status=Status.WITHDRAWN,
            reason="Fik hjælp et andet sted.",
        )
    by_client = {delivery.subscription.api_client.name: delivery.event for delivery in deliveries()}
    # The manager sees the waiting list, not courses; the referrer only its own referrals.
    assert by_client == {
        "Coordinator system": "request.status_changed",
        "Manager system": "request.status_changed",
    }
    assert all(item["signed"] is False for item in receiver.received)  # no secret set here


def test_a_rolled_back_change_announces_nothing(
    personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    subscribe(personas, ["coordinator"], receiver.url, ["course.started"])
    support_request, _token = make_waiting_request(personas.programme_a)
    with (
        in_org(personas.org_a),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        support_services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={},
        )
        raise RuntimeError("rolled back")
    assert deliveries() == [] and receiver.received == []


def test_it_tries_again_after_a_500(
    personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    *_rest, secret = subscribe(personas, ["coordinator"], receiver.url, ["course.started"])
    receiver.secret = secret
    receiver.answers = [500]
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    (delivery,) = deliveries()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=1)
    # Not yet due: nothing is sent.
    assert services_webhooks.retry_due(now=delivery.last_attempt_at) == 0
    assert services_webhooks.retry_due(now=delivery.next_attempt_at) == 1
    (delivery,) = deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(receiver.received) == 2 and all(item["signed"] for item in receiver.received)
    first, second = (json.loads(item["body"]) for item in receiver.received)
    assert first == second  # the same event, so the receiver can tell it had it


def test_it_gives_up_after_the_cap(
    settings, personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    settings.BROBYG_WEBHOOK_MAX_ATTEMPTS = 3
    subscribe(personas, ["coordinator"], receiver.url, ["course.started"])
    receiver.answers = [500, 503, 502, 200]
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    now = timezone.now()
    delays = []
    for _round in range(5):
        (delivery,) = deliveries()
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - delivery.last_attempt_at)
        now = (delivery.next_attempt_at or now) + timedelta(seconds=1)
        services_webhooks.retry_due(now=now)
    (delivery,) = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.next_attempt_at is None and delivery.last_error == "HTTP 502"
    assert delays == [timedelta(minutes=1), timedelta(minutes=2)]
    assert len(receiver.received) == 3


def test_an_unreachable_receiver_is_recorded_without_content(
    settings, personas, bob_peer, django_capture_on_commit_callbacks
):
    settings.BROBYG_WEBHOOK_ALLOW_HTTP = True
    subscribe(personas, ["coordinator"], "http://127.0.0.1:9/nothing", ["course.started"])
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    (delivery,) = deliveries()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_status_code is None and delivery.last_error


def test_the_admin_subscribes_sees_the_log_and_sends_again(
    client, personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    api_client, _credentials, _secret = make_api_client(
        personas.org_a, ["coordinator"], actor=personas.ada
    )
    client.force_login(personas.ada)
    url = reverse("api_webhook_create", kwargs={"public_id": api_client.public_id})
    refused = client.post(url, {"url": "http://example.org/hooks", "events": ["course.started"]})
    assert "https-adresse" in refused.content.decode()
    assert refused.context["form"].data["url"] == "http://example.org/hooks"
    created = client.post(url, {"url": receiver.url, "events": ["course.started"]})
    assert created["Cache-Control"] == "no-store"
    receiver.secret = created.context["secret"]
    detail = client.get(reverse("api_client_detail", kwargs={"public_id": api_client.public_id}))
    assert receiver.url in detail.content.decode()
    assert receiver.secret not in detail.content.decode()

    receiver.answers = [404]
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    log = client.get(reverse("api_delivery_list", kwargs={"public_id": api_client.public_id}))
    page = log.content.decode()
    assert "404" in page and "HTTP 404" in page and "Prøves igen" in page
    (delivery,) = deliveries()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("api_delivery_send_again", kwargs={"public_id": delivery.public_id})
        )
    assert again.status_code == 302
    (delivery,) = deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert len(receiver.received) == 2 and all(item["signed"] for item in receiver.received)

    client.post(reverse("api_webhook_stop", kwargs={"public_id": delivery.subscription.public_id}))
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    assert len(deliveries()) == 1


def test_it_deletes_old_delivery_records(
    personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    subscribe(personas, ["coordinator"], receiver.url, ["course.started"])
    start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    (delivery,) = deliveries()
    assert services_webhooks.purge_expired(now=delivery.created_at + timedelta(days=29)) == 0
    assert services_webhooks.purge_expired(now=delivery.created_at + timedelta(days=31)) == 1


def test_the_delivery_log_costs_the_same_queries_however_long(client, personas):
    api_client, _credentials, _secret = make_api_client(
        personas.org_a, ["coordinator"], actor=personas.ada
    )
    with in_org(personas.org_a):
        subscription, _signing = services.subscription_create(
            actor=personas.ada,
            api_client=api_client,
            url="https://nexus.example.org/events",
            events=["course.started"],
        )

    def grow(count=1):
        with scopes_disabled():
            WebhookDelivery.objects.bulk_create(
                WebhookDelivery(
                    organisation=personas.org_a,
                    subscription=subscription,
                    event_id=uuid.uuid4(),
                    event="course.started",
                    payload={},
                    status=DeliveryStatus.FAILED,
                    last_error="HTTP 500",
                )
                for _number in range(count)
            )

    grow()
    client.force_login(personas.ada)
    url = reverse("api_delivery_list", kwargs={"public_id": api_client.public_id})
    assert_queries_do_not_grow(client, url, lambda: grow(20))


def test_a_referrers_system_hears_of_its_referrals_course_ending(
    client, personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    """A referrer's system does not see courses, but hears when the course begun from its own
    referral starts and ends (what its status list's later status tells), with ids only."""
    api_client, _credentials, _subscription, secret = subscribe(
        personas, ["referrer"], receiver.url, ["course.started", "course.ended"]
    )
    receiver.secret = secret
    referred, _token = make_waiting_request(personas.programme_a, name="Lone Holm")
    other, _token = make_waiting_request(personas.programme_a, name="Jens Berg")
    with scopes_disabled():
        type(referred).objects.filter(pk=referred.pk).update(referred_by=api_client.account)
        referred.refresh_from_db()
    courses = []
    for support_request in (referred, other):
        with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
            courses.append(
                support_services.course_create(
                    actor=personas.alice,
                    citizen=support_request.citizen,
                    programme=personas.programme_a,
                    peers=[bob_peer],
                    data={},
                    support_request=support_request,
                )
            )
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        for course in courses:
            support_services.course_end(
                actor=personas.alice,
                course=course,
                ended_on=timezone.localdate(),
                reason="goals_reached",
            )
    events = [json.loads(item["body"]) for item in receiver.received]
    assert [(event["type"], event["data"]["course"]) for event in events] == [
        ("course.started", str(courses[0].public_id)),
        ("course.ended", str(courses[0].public_id)),
    ]
    assert all(item["signed"] for item in receiver.received)


def test_a_citizens_answer_is_told_to_clients_that_read_responses(
    client, personas, receiver, django_capture_on_commit_callbacks
):
    instruments = load_instruments()
    *_rest, secret = subscribe(
        personas, ["coordinator"], receiver.url, ["questionnaire.answered"], name="Warehouse"
    )
    subscribe(personas, ["referrer"], receiver.url, ["questionnaire.answered"], name="Nexus")
    receiver.secret = secret
    citizen = consenting_citizen(personas.programme_a)
    with in_org(personas.org_a):
        invitation, token = outcome_services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instruments["who-5"], timepoint="baseline"
        )
    answer = reverse("outcomes_answer", kwargs={"token": token})
    for step, value in enumerate([5, 4, 3, 2, 1], start=1):
        client.post(answer, {"step": step, "nav": "next", f"item_w{step}": str(value)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer, {"step": 6, "nav": "send", "mode": "self"})
    (delivery,) = receiver.received
    event = json.loads(delivery["body"])
    with scopes_disabled():
        response = Response.objects.get(invitation=invitation)
    assert delivery["signed"] and event["type"] == "questionnaire.answered"
    assert event["data"] == {"response": str(response.public_id), "citizen": str(citizen.public_id)}


def test_an_accepted_hand_over_is_told_to_the_sender_and_the_new_course_to_the_receiver(
    client, personas, bob_peer, receiver, django_capture_on_commit_callbacks
):
    vera_peer = make_peer(personas.org_b, personas.vera, [personas.programme_b], kind="volunteer")
    *_rest, secret = subscribe(
        personas, ["coordinator"], receiver.url, ["handover.accepted", "course.started"]
    )
    centre, _client_id, _secret = make_api_client(
        personas.org_b, ["coordinator"], actor=personas.carl
    )
    with in_org(personas.org_b):
        services.subscription_create(
            actor=personas.carl, api_client=centre, url=receiver.url, events=["course.started"]
        )
    course = start_course(personas, bob_peer, django_capture_on_commit_callbacks)
    receiver.received.clear()
    with scopes_disabled():
        course.citizen.phone = "22334455"
        course.citizen.save()
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_propose", args=[course.public_id]),
        {"receiving_programme": personas.programme_b.pk, "reason": "Klar til frivillig støtte."},
    )
    with scopes_disabled():
        handover = Handover.objects.get(from_course=course)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    with in_org(personas.org_b), django_capture_on_commit_callbacks(execute=True):
        new_course = support_services.handover_accept(
            actor=personas.carl,
            handover=handover,
            peer=vera_peer,
            meeting_at=timezone.now() + timedelta(days=3),
        )
    events = sorted(
        (json.loads(item["body"]) for item in receiver.received), key=lambda event: event["type"]
    )
    assert [(event["type"], event["organisation"]) for event in events] == [
        ("course.started", str(personas.org_b.public_id)),
        ("handover.accepted", str(personas.org_a.public_id)),
    ]
    assert events[0]["data"]["course"] == str(new_course.public_id)
    assert events[1]["data"] == {
        "handover": str(handover.public_id),
        "course": str(course.public_id),
        "citizen": str(course.citizen.public_id),
    }
    assert secret and "Lone" not in str(events)
