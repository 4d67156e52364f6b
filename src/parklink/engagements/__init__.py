"""Investors and engagements (客商 / 对接记录): contacts of investing enterprises, visits out and
in, meetings, calls and events with their follow-ups; the same records serve aftercare visits."""
