"""Deployment artefacts (deploy/): checked offline, without a cluster."""
