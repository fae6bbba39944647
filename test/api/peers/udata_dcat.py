"""data.gouv.fr's own DCAT harvester (udata, PyPI) run on a DCAT catalogue URL, as data.gouv.fr previews a harvest
source before it is created (dry run: nothing saved). udata keeps its documents in MongoDB; none runs here, so
mongomock stands in for it (in memory, empty: no licence list, no existing dataset). Usage: udata_dcat.py URL

Prints one JSON object: the job's status and errors, and per item (dataset or data service) its status, errors and
what udata made of it."""
import json
import sys

import mongoengine.connection
import mongomock

mongoengine.connection.MongoClient = mongomock.MongoClient  # before udata connects

from udata.app import create_app, standalone  # noqa: E402


class Settings:
    MONGODB_HOST = "mongodb://localhost/udata"
    SECRET_KEY = API_TOKEN_SECRET = SECURITY_PASSWORD_SALT = "peer-test"
    # the hub listens on loopback here; its IRIs are on the reserved .example domain (RFC 2606), as udata's own tests
    # allow .test
    URLS_ALLOW_LOCAL = True
    URLS_RESOLVE_HOSTNAME = False
    HARVESTER_BACKENDS = ["dcat"]
    CACHE_TYPE = "flask_caching.backends.NullCache"
    SERVER_NAME = "local.test"
    SEND_MAIL = False
    PUBLISH_ON_RESOURCE_EVENTS = False
    AUTO_INDEX = False


def main() -> None:
    app = create_app(override=Settings)
    from udata.settings import Defaults

    app.config["URLS_ALLOWED_TLDS"] = set(Defaults.URLS_ALLOWED_TLDS) | {"example"}
    app = standalone(app)
    with app.app_context():
        from udata.harvest.backends import get_backend
        from udata.harvest.models import HarvestSource

        source = HarvestSource(name="hub", url=sys.argv[1], backend="dcat")
        job = get_backend("dcat")(source, dryrun=True).harvest()
        out = {"status": job.status, "errors": [e.message for e in job.errors], "format": job.data.get("format"), "items": []}
        for item in job.items:
            entry = {"remoteId": item.remote_id, "status": item.status, "errors": [e.message for e in item.errors]}
            if item.dataset:
                d = item.dataset
                entry["dataset"] = {
                    "title": d.title,
                    "description": d.description,
                    "uri": d.harvest.uri,
                    "remoteUrl": d.harvest.remote_url,
                    "resources": [{"url": r.url, "title": r.title, "format": r.format} for r in d.resources],
                    "temporal": [str(d.temporal_coverage.start), str(d.temporal_coverage.end)] if d.temporal_coverage else None,
                    "geometry": d.spatial.geom["type"] if d.spatial and d.spatial.geom else None,
                    "tags": list(d.tags),
                    "frequency": str(d.frequency) if d.frequency else None,
                    "contactPoints": len(d.contact_points or []),
                }
            if item.dataservice:
                s = item.dataservice
                entry["dataservice"] = {"title": s.title, "uri": s.harvest.uri, "baseApiUrl": s.base_api_url}
            out["items"].append(entry)
        print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
