"""Glemsel: find Norwegian personal data across systems and erase it on request."""
