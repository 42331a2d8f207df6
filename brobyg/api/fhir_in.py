"""A referral as a FHIR R4 Bundle (type ``transaction`` or ``collection``) from a case system:
one ``Patient``, one ``ServiceRequest`` and a ``Consent``, read into the staff referral form's
fields (``ops_intake.submit_referral`` then checks and saves it as any referral: crisis routing,
minimum age, duplicates; nothing is checked twice). Each problem names the element it is about,
as a FHIRPath into the bundle (``Bundle.entry[0].resource.birthDate``).

What is read:

- ``Patient.name[0]`` (``text``, or ``given`` and ``family``), ``birthDate`` (its year),
  ``telecom`` (the first ``phone`` and ``email``), ``identifier`` with the Danish CPR system
  ``urn:oid:1.2.208.176.1.2``, ``address[0].city`` (or ``district``) as the municipality;
- ``ServiceRequest.performer`` with an identifier of system ``PROGRAMME_SYSTEM``: the programme's
  id from ``/api/v1/programmes``; ``reasonCode`` (each ``text`` or coding ``display``) and
  ``note`` (each ``text``) as the reason for the referral; ``priority`` ``stat`` means the
  citizen is in acute crisis;
- a ``Consent`` with ``status`` ``active``: the citizen agreed, as the referrer recorded it.
"""

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
PROGRAMME_SYSTEM = "https://brobyg.dk/fhir/programme"
BUNDLE_TYPES = ("transaction", "collection")

# The referral form's fields and the elements they are read from.
ELEMENTS = {
    "name": ("Patient", "name"),
    "birth_year": ("Patient", "birthDate"),
    "phone": ("Patient", "telecom"),
    "email": ("Patient", "telecom"),
    "cpr": ("Patient", "identifier"),
    "municipality": ("Patient", "address"),
    "programme": ("ServiceRequest", "performer"),
    "referral_reason": ("ServiceRequest", "reasonCode"),
    "in_crisis": ("ServiceRequest", "priority"),
    "consent_support": ("Consent", "status"),
    "consent_method": ("Consent", "status"),
}


class BundleError(Exception):
    """The bundle cannot be read; ``errors`` as the problem's (field: a FHIRPath)."""

    def __init__(self, errors):
        super().__init__("invalid bundle")
        self.errors = errors


def _error(path, message):
    return {"field": path, "message": message}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(resource, key) -> list:
    value = resource.get(key, [])
    return value if isinstance(value, list) else []


class Bundle:
    def __init__(self, document):
        from django.utils.translation import gettext as _

        self.gettext = _
        if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
            raise BundleError([_error("Bundle", _("Send a FHIR R4 Bundle."))])
        if document.get("type") not in BUNDLE_TYPES:
            raise BundleError(
                [_error("Bundle.type", _("The bundle's type must be transaction or collection."))]
            )
        entries = document.get("entry")
        if not isinstance(entries, list):
            raise BundleError([_error("Bundle.entry", _("The bundle has no entries."))])
        self.resources: dict[str, tuple[int, dict]] = {}
        errors = []
        for index, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                errors.append(
                    _error(f"Bundle.entry[{index}]", _("Each entry must hold a resource."))
                )
                continue
            kind = resource.get("resourceType")
            if kind in ("Patient", "ServiceRequest", "Consent"):
                if kind in self.resources:
                    errors.append(
                        _error(
                            f"Bundle.entry[{index}].resource",
                            _("The bundle may hold only one %(kind)s.") % {"kind": kind},
                        )
                    )
                self.resources[kind] = (index, resource)
        for kind in ("Patient", "ServiceRequest"):
            if kind not in self.resources:
                errors.append(
                    _error("Bundle.entry", _("The bundle must hold a %(kind)s.") % {"kind": kind})
                )
        if errors:
            raise BundleError(errors)

    def path(self, field: str) -> str:
        """The FHIRPath of the element a form field is read from."""
        kind, element = ELEMENTS.get(field, ("ServiceRequest", ""))
        if kind not in self.resources:
            return "Bundle.entry"
        index, _resource = self.resources[kind]
        return f"Bundle.entry[{index}].resource" + (f".{element}" if element else "")

    def resource(self, kind) -> dict:
        return self.resources.get(kind, (None, {}))[1]

    def _name(self, patient) -> str:
        names = _list(patient, "name")
        name = names[0] if names and isinstance(names[0], dict) else {}
        if _text(name.get("text")):
            return _text(name["text"])
        given = [_text(part) for part in _list(name, "given")]
        return " ".join(part for part in [*given, _text(name.get("family"))] if part)

    def _birth_year(self, patient) -> str:
        birth_date = _text(patient.get("birthDate"))
        return birth_date[:4] if birth_date[:4].isdigit() else birth_date

    def _telecom(self, patient, system) -> str:
        for contact in _list(patient, "telecom"):
            if isinstance(contact, dict) and contact.get("system") == system:
                return _text(contact.get("value"))
        return ""

    def _cpr(self, patient) -> str:
        for identifier in _list(patient, "identifier"):
            if isinstance(identifier, dict) and identifier.get("system") == CPR_SYSTEM:
                return _text(identifier.get("value"))
        return ""

    def _municipality(self, patient) -> str:
        addresses = _list(patient, "address")
        address = addresses[0] if addresses and isinstance(addresses[0], dict) else {}
        return _text(address.get("city")) or _text(address.get("district"))

    def _programme(self, service_request) -> str:
        for performer in _list(service_request, "performer"):
            identifier = performer.get("identifier") if isinstance(performer, dict) else None
            if isinstance(identifier, dict) and identifier.get("system") == PROGRAMME_SYSTEM:
                return _text(identifier.get("value"))
        return ""

    def _reason(self, service_request) -> str:
        parts = []
        for reason in _list(service_request, "reasonCode"):
            if not isinstance(reason, dict):
                continue
            text = _text(reason.get("text"))
            if not text:
                codings = [c for c in _list(reason, "coding") if isinstance(c, dict)]
                text = ", ".join(_text(c.get("display")) for c in codings if c.get("display"))
            if text:
                parts.append(text)
        parts += [
            _text(note.get("text"))
            for note in _list(service_request, "note")
            if isinstance(note, dict) and _text(note.get("text"))
        ]
        return "\n\n".join(parts)

    def referral_form_data(self) -> dict:
        """The referral form's data (strings, as a browser would post them)."""
        from brobyg.intake.forms_public import NO, YES

        patient = self.resource("Patient")
        service_request = self.resource("ServiceRequest")
        consent = self.resource("Consent")
        consented = consent.get("status") == "active"
        return {
            "programme": self._programme(service_request),
            "referring_unit": "",
            "referral_reason": self._reason(service_request),
            "consent_method": "referrer" if consented else "",
            "consent_support": "on" if consented else "",
            "in_crisis": YES if service_request.get("priority") == "stat" else NO,
            "name": self._name(patient),
            "birth_year": self._birth_year(patient),
            "municipality": self._municipality(patient),
            "phone": self._telecom(patient, "phone"),
            "email": self._telecom(patient, "email"),
            "cpr": self._cpr(patient),
            "peer_type": "no_preference",
        }

    def form_errors(self, errors) -> list[dict]:
        """The referral form's errors, each pointing at the element its field is read from."""
        return [
            _error(self.path(error["field"]) if error["field"] else "Bundle", error["message"])
            for error in errors
        ]
