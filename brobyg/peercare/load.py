"""Load per peer: the figures of the sources registered in ``peercare.extensions``."""

from datetime import date

from brobyg.peercare.extensions import load_sources


def load_figures(organisation, peer_ids: list[int], month_start: date, month_end: date) -> dict:
    """``{source key: {peer id: value}}`` for every registered source."""
    return {
        source.key: source.provider(organisation, list(peer_ids), month_start, month_end) or {}
        for source in load_sources()
    }


def pending_proposals(organisation, peer_ids, month_start, month_end) -> dict[int, int]:
    """Matching's figure: proposals waiting for an answer, each holding one of the places."""
    from brobyg.matching.selectors import pending_counts

    return pending_counts(peer_ids)
