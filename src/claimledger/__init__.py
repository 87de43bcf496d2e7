"""claimledger: who says what, through whom, how sure, with which figures."""

__version__ = "0.1.0"
