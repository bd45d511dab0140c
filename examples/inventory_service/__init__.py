"""Inventory service: a toy async API used to demonstrate async-analyzer."""
