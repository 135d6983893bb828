"""Developer tools beside the application: generators of test and demo data.

Nothing in the application's core packages imports from here; the command line reaches the plant
generator only inside ``commandcenter plant generate``.
"""
