"""The offline demo of ``reviewer serve``: demo accounts and a sample repository served from
a local directory, so a newcomer can try the whole flow with no network."""
