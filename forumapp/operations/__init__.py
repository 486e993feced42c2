"""Running forumapp as several processes and hosts: health checks for load balancers
(health.py), a request id and one log line per request (requestlog.py), and the warnings given at
start about settings that only work for one process (startup.py)."""
