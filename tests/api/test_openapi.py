"""The OpenAPI document: valid OpenAPI 3.1, served on the public address, and describing every
route of the API (no more, no less)."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from forumapp.api.openapi import document


def test_the_document_is_valid_openapi(app):
    validate(document())


def test_it_is_served_with_the_public_address(client):
    response = client.get("/api/v1/openapi.json", base_url="http://127.0.0.1")
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = response.get_json()
    validate(served)
    assert served["servers"] == [{"url": "http://forum.test/api/v1"}]
    assert client.get("/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_every_api_route_is_documented_and_nothing_else(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    documented = {(path, method) for path, operations in document()["paths"].items() for method in operations}
    assert routes == documented


def test_every_operation_documents_its_errors_in_the_one_shape(app):
    spec = document()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)
            assert "429" in operation["responses"], (path, method)
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"]), (path, method)
