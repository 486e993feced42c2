"""Storage in an S3-compatible bucket through boto3 (AWS S3, MinIO, Ceph, moto in the tests).

For hosts without a shared volume. Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance role). A PUT is atomic by nature: readers see the
old object or the new one. Objects are streamed to the visitor through the app (same origin, so
the pages' Content-Security-Policy and the documents' safe fetcher need nothing else).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from datetime import UTC
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, request

from forumapp.storage.keys import StoredObject, check_key

_CHUNK = 64 * 1024
_MISSING = ("404", "NoSuchKey", "NotFound")


class S3Storage:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, prefix: str = "", region: str | None = None):
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.region = region
        self._client = None
        self._client_pid = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        # Sent to worker processes (the print pool) without its client and lock.
        return {name: value for name, value in vars(self).items() if name not in ("_client", "_client_pid", "_lock")}

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state, _client=None, _client_pid=None, _lock=threading.Lock())

    def __repr__(self) -> str:
        return f"S3Storage({self.bucket!r}, endpoint_url={self.endpoint_url!r}, prefix={self.prefix!r})"

    @property
    def client(self):
        # boto3 clients are thread-safe but must not cross a fork (gunicorn --preload, pools).
        with self._lock:
            if self._client is None or self._client_pid != os.getpid():
                import boto3
                from botocore.config import Config

                config = Config(
                    # Path-style addressing for custom endpoints (MinIO, moto): no DNS per bucket.
                    s3={"addressing_style": "path" if self.endpoint_url else "auto"},
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=30,
                )
                self._client = boto3.session.Session().client(
                    "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
                )
                self._client_pid = os.getpid()
            return self._client

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _get(self, key: str):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                raise FileNotFoundError(key) from None
            raise

    def save(self, key: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data, **extra)

    def open(self, key: str) -> BinaryIO:
        return _Body(self._get(key)["Body"])

    def read_bytes(self, key: str) -> bytes:
        with self.open(key) as body:
            return body.read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def list(self, prefix: str = "") -> list[StoredObject]:
        paginator = self.client.get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                modified = item["LastModified"].astimezone(UTC)
                found.append(StoredObject(item["Key"][len(self.prefix):], item["Size"], modified))
        return sorted(found, key=lambda obj: obj.key)

    def send(self, key: str, download_name: str | None = None, mimetype: str | None = None,
             max_age: int | None = None) -> Response:
        obj = self._get(key)
        body = obj["Body"]
        response = Response(
            body.iter_chunks(_CHUNK),
            mimetype=mimetype or obj.get("ContentType") or "application/octet-stream",
            direct_passthrough=True,
        )
        response.call_on_close(body.close)
        response.content_length = obj["ContentLength"]
        response.set_etag(obj["ETag"].strip('"'))
        response.last_modified = obj["LastModified"]
        if download_name is not None:
            response.headers.set("Content-Disposition", "attachment", **_filename_parameters(download_name))
        if max_age is not None:
            response.cache_control.public = True
            response.cache_control.max_age = max_age
        else:
            response.cache_control.no_cache = True
        # 304 Not Modified when the browser's copy is current (its body is then never read).
        return response.make_conditional(request)


def _filename_parameters(name: str) -> dict:
    """Content-Disposition file name as Flask's send_file writes it: ASCII as is, otherwise an
    ASCII approximation plus the exact name in RFC 5987 form (headers are Latin-1 only)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple or "download", "filename*": f"UTF-8''{quote(name, safe='!#$&+^`|~')}"}
    return {"filename": name}


class _Body:
    """botocore's streaming body as a file object usable in `with`."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read() if size is None or size < 0 else self._stream.read(size)

    def close(self) -> None:
        self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self._stream.iter_chunks(_CHUNK)
