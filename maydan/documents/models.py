"""Issued documents and their electronic signatures.

A signature is bound to the SHA-256 of the document's canonical content: when the content changes,
the hash changes and the old signatures no longer belong to the document (they stay on record).
"""
from django.db import models

from ..models import Person, Placement

__all__ = ["IssuedDocument", "Signature"]


class IssuedDocument(models.Model):
    """One content of one document, as issued: its verification code stands for exactly this content."""

    code = models.CharField(max_length=32, unique=True)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="issued_documents")
    kind = models.CharField(max_length=80)
    content_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "kind", "content_hash"],
                                               name="one_code_per_content")]


class Signature(models.Model):
    """A person's electronic signature of one content of a document: typed name, ticked statement, role."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="document_signatures")
    kind = models.CharField(max_length=80)
    content_hash = models.CharField(max_length=64)
    role = models.CharField(max_length=32)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # How a signer without an account came in, e.g. "agency link 12".
    via = models.CharField(max_length=64, blank=True)
    typed_name = models.CharField(max_length=255)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["placement", "kind", "content_hash", "role"],
                                               name="one_signature_per_role")]
