"""Attachments: files on any record an app registers as attachable, stored through Django's
storage API and shown exactly to those who may see the record."""
