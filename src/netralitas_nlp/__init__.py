"""netralitas-nlp: screen Indonesian posts and complaints against the ASN neutrality pledge."""

__version__ = "0.1.0"
