"""python3-saml's SAML response, with one fix: a signed assertion inside an encrypted one (the
OIOSAML 3 profile) keeps a valid signature once decrypted.

python3-saml decrypts the assertion and moves it into the response with lxml. lxml drops the
assertion's own namespace declarations that the response already makes (under another prefix)
and renames the prefixes to the response's. Exclusive canonicalisation, which the signature
covers, renders prefixes, so the digest no longer matches and a correctly signed assertion is
refused ("Signature validation failed"). pysaml2's identity provider, for one, declares fresh
prefixes inside the encrypted assertion. Here python3-saml's own decryption runs in a response
holding nothing but the encrypted assertion, and the decrypted assertion is put in place as
text, so it is parsed with its own declarations and keeps its prefixes. Nothing else changes:
python3-saml still checks every signature, condition and address.
"""

from copy import deepcopy

from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

ENCRYPTED_ASSERTION = "/samlp:Response/saml:EncryptedAssertion"
PLACEHOLDER = "brobygDecryptedAssertion"


class SAMLResponse(OneLogin_Saml2_Response):
    def _decrypt_assertion(self, xml):
        encrypted = OneLogin_Saml2_XML.query(xml, ENCRYPTED_ASSERTION)
        if len(encrypted) != 1:
            return super()._decrypt_assertion(xml)
        holder = etree.Element(
            f"{{{OneLogin_Saml2_Constants.NS_SAMLP}}}Response",
            nsmap={"samlp": OneLogin_Saml2_Constants.NS_SAMLP},
        )
        holder.append(deepcopy(encrypted[0]))
        decrypted = super()._decrypt_assertion(holder)
        assertion = OneLogin_Saml2_XML.query(decrypted, "/samlp:Response/saml:Assertion")
        if len(assertion) != 1:
            return super()._decrypt_assertion(xml)
        xml.replace(encrypted[0], etree.Element(PLACEHOLDER))
        text = OneLogin_Saml2_XML.to_string(xml).decode()
        placeholder = f"<{PLACEHOLDER}/>"
        if text.count(placeholder) != 1:
            raise ValueError("The decrypted assertion cannot be put in place.")
        assertion_text = OneLogin_Saml2_XML.to_string(assertion[0]).decode()
        return OneLogin_Saml2_XML.to_etree(text.replace(placeholder, assertion_text).encode())
