"""``auditor serve``: the editor's workspace (a web page) and the versioned JSON API over the one
pipeline, on an ASGI server (FastAPI on uvicorn).

- ``app``: the routes, the request limits, authentication and the page shell;
- ``work``: where audits run. The web process never audits: each request's work goes to a
  worker process (the language-model lane or the plain lane), which builds its ``Auditor``
  once per configuration and keeps it, so the models load once and the time budget (LIM002,
  a signal in the worker's main thread) holds as it does on the command line. Each lane takes
  a bounded number of requests; one more is refused with 503 and Retry-After, never queued;
- ``static/``: the page's script and stylesheet, served by the server itself (the
  Content-Security-Policy allows no other script).

Nothing here knows a check: the reports are the reporters' (the JSON reporter's bytes, the
HTML report's highlighted text and header), the fixes are ``auditor fix``'s.
"""
