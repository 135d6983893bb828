"""The project's bottom layer: the words every package shares (event types, payloads, levels, drafts).

It imports nothing of the project, so ``plans``, ``resources``, ``simulation``, ``comms`` and
``commandcenter`` may all use it.
"""
