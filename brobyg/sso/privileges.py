"""KOMBIT Context Handler's privileges: the SAML attribute
``dk:gov:saml:attribute:Privileges_intermediate`` holds base64-encoded XML after the OIOSAML
Basic Privilege Profile 1.2::

    <bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">
      <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:12345678">
        <Privilege>http://brobyg.dk/roles/usersystemrole/koordinator/1</Privilege>
      </PrivilegeGroup>
    </bpp:PrivilegeList>

Only the privilege groups scoped to the organisation's own CVR number count; their privilege
URIs are the "groups" the role mapping reads. The XML is parsed with defusedxml, which refuses
a DTD (and so any entity, e.g. "billion laughs"); anything unreadable is refused as a whole.
"""

import base64
import binascii
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

KOMBIT_PRIVILEGES = "dk:gov:saml:attribute:Privileges_intermediate"
BPP_NAMESPACE = "http://itst.dk/oiosaml/basic_privilege_profile"
CVR_SCOPE = "urn:dk:gov:saml:cvrNumberIdentifier:"
# A person's privilege list is a few kilobytes; far more is not a privilege list.
MAX_ENCODED_LENGTH = 200_000


class UnreadablePrivileges(ValueError):
    """The privileges attribute is not a Basic Privilege Profile list; ``reason`` is for the
    audit log (never the attribute itself)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def privileges_for_cvr(encoded_values, cvr: str) -> tuple[str, ...]:
    """The privilege URIs the attribute's values grant within the organisation ``cvr``."""
    privileges = set()
    for encoded in encoded_values:
        if len(encoded) > MAX_ENCODED_LENGTH:
            raise UnreadablePrivileges("privileges too long")
        try:
            xml = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise UnreadablePrivileges("privileges not base64") from None
        try:
            root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException:
            raise UnreadablePrivileges("privileges with a DTD or entities") from None
        except ParseError:
            raise UnreadablePrivileges("privileges not well-formed XML") from None
        if root.tag != f"{{{BPP_NAMESPACE}}}PrivilegeList":
            raise UnreadablePrivileges("privileges not a PrivilegeList")
        for group in root:
            if _local(group.tag) != "PrivilegeGroup":
                raise UnreadablePrivileges("privileges with an unknown element")
            if cvr and group.get("Scope", "").strip() == f"{CVR_SCOPE}{cvr}":
                privileges.update(
                    (element.text or "").strip()
                    for element in group
                    if _local(element.tag) == "Privilege" and (element.text or "").strip()
                )
    return tuple(sorted(privileges))
