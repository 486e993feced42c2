"""Public pages and exports served from a cache.

versions.py   a data version per event (and one for the directory), bumped in the same
              transaction as every change of public data
store.py      where rendered responses live: Redis when configured, else process memory
pages.py      the view decorator: key, single flight, ETag/Last-Modified/304, Cache-Control
pdfs.py       the programme PDF as a plain function a background task can call
static.py     fingerprinted static file URLs, cached for a year
"""
