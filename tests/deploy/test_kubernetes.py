"""deploy/kubernetes/: valid Kubernetes objects, and the security properties the docs promise.

Every YAML document is validated against the Kubernetes OpenAPI schemas bundled with
kubernetes-validate, in strict mode (an unknown or misspelt field is an error, not ignored),
for the oldest Kubernetes the manifests support (1.30) and the newest bundled one, with the
network blocked. The rest reads the manifests as the cluster would: the securityContext a
container ends up with, which pods each selector picks, where the probes and NetworkPolicy
ports point, and which addresses the app's egress rules let through.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

from toolbox.config import Settings
from toolbox.serve import gunicorn_options

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUSTOMIZATION = MANIFESTS / "kustomization.yaml"
# The oldest Kubernetes the manifests are written for (preStop sleep is on by default from
# 1.30), and the newest whose schemas kubernetes-validate bundles.
OLDEST = "1.30.0"
VERSIONS = (OLDEST, kubernetes_validate.latest_version())
APP_UID = 10001
INGRESS_NAMESPACE = "ingress-nginx"


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
            if doc is not None]


def manifest_files() -> list[Path]:
    files = sorted(p for p in MANIFESTS.rglob("*") if p.suffix in {".yaml", ".yml"})
    return [p for p in files if p != KUSTOMIZATION]


DOCUMENTS: list[tuple[str, dict[str, Any]]] = [
    (f"{path.relative_to(MANIFESTS)}:{doc.get('kind')}/{doc.get('metadata', {}).get('name')}", doc)
    for path in manifest_files() for doc in load_documents(path)
]


def objects(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in DOCUMENTS if doc["kind"] == kind}


def one(kind: str, name: str) -> dict[str, Any]:
    found = objects(kind)
    assert name in found, f"no {kind} named {name!r} in deploy/kubernetes (have {sorted(found)})"
    return found[name]


def pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return dict(workload["spec"]["template"]["metadata"]["labels"])


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) applied to a set of labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def workloads() -> dict[str, dict[str, Any]]:
    return {**objects("Deployment"), **objects("StatefulSet")}


def selected_workloads(selector: dict[str, Any]) -> list[str]:
    return sorted(name for name, w in workloads().items() if selects(selector, pod_labels(w)))


def service_workloads(service: dict[str, Any]) -> list[str]:
    """A Service's selector is a plain label map (every pair must match), not a LabelSelector."""
    selector = service["spec"]["selector"]
    assert selector, f"Service {service['metadata']['name']} selects no pods"
    return selected_workloads({"matchLabels": selector})


def containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_port(container: dict[str, Any], port: int | str) -> int:
    """A probe's or Service's port (a number, or the name of one of the container's ports)."""
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    assert port in named, f"port name {port!r} is not one of {container['name']}'s ports"
    return int(named[port])


def env_values(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}


def app_deployment() -> dict[str, Any]:
    return one("Deployment", "toolbox")


def app_container() -> dict[str, Any]:
    (container,) = app_deployment()["spec"]["template"]["spec"]["containers"]
    return container


def redis_deployment() -> dict[str, Any]:
    return one("Deployment", "redis")


def redis_container() -> dict[str, Any]:
    (container,) = redis_deployment()["spec"]["template"]["spec"]["containers"]
    return container


def app_settings() -> Settings:
    return Settings.from_env(env_values(app_container()))


# ------------------------------------------------------------------------------------------
# The files and the schemas


def test_the_directory_holds_the_expected_objects() -> None:
    kinds = sorted({doc["kind"] for _, doc in DOCUMENTS})
    assert kinds == ["Deployment", "HorizontalPodAutoscaler", "Namespace", "NetworkPolicy",
                     "PodDisruptionBudget", "Service"]
    assert set(workloads()) == {"toolbox", "redis"}
    assert set(objects("Service")) == {"toolbox", "redis"}
    for label, doc in DOCUMENTS:
        assert {"apiVersion", "kind", "metadata"} <= doc.keys(), label


def test_kustomization_applies_every_manifest_into_the_namespace() -> None:
    (kustomization,) = load_documents(KUSTOMIZATION)
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(str(p.relative_to(MANIFESTS)) for p in manifest_files())
    (namespace,) = objects("Namespace")
    assert kustomization["namespace"] == namespace
    # No object pins another namespace (kustomize would move it anyway; say it once).
    for label, doc in DOCUMENTS:
        assert "namespace" not in doc["metadata"], label
    # The image placeholder is the one `images:` rewrites.
    images = {entry["name"] for entry in kustomization["images"]}
    assert app_container()["image"].partition(":")[0] in images


def test_duplicate_keys_are_refused_by_the_loader() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'replicas'"):
        yaml.load("spec:\n  replicas: 2\n  replicas: 1\n", Loader=UniqueKeyLoader)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to resolve a name or open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access during schema validation: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("label", "document"), DOCUMENTS, ids=[label for label, _ in DOCUMENTS])
def test_every_document_is_valid_for_kubernetes(label: str, document: dict[str, Any],
                                                 version: str) -> None:
    # Raises ValidationError (invalid), SchemaNotFoundError (unknown kind/apiVersion) or
    # VersionNotSupportedError: each fails the test.
    validated = kubernetes_validate.validate(document, version, strict=True)
    assert validated == kubernetes_validate.major_minor(version)


@pytest.mark.usefixtures("no_network")
def test_the_validator_is_strict() -> None:
    """Control: the checks above do catch mistakes the API server would refuse or drop."""
    deployment = yaml.load(yaml.safe_dump(app_deployment()), Loader=yaml.SafeLoader)
    kubernetes_validate.validate(deployment, OLDEST, strict=True)

    context = deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]
    context["readOnlyRootFileSystem"] = context.pop("readOnlyRootFilesystem")  # misspelt
    with pytest.raises(kubernetes_validate.ValidationError, match="readOnlyRootFileSystem"):
        kubernetes_validate.validate(deployment, OLDEST, strict=True)

    deployment = yaml.load(yaml.safe_dump(app_deployment()), Loader=yaml.SafeLoader)
    deployment["spec"]["replicas"] = "2"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, OLDEST, strict=True)

    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        kubernetes_validate.validate({**deployment, "apiVersion": "apps/v1beta1"}, OLDEST, strict=True)


# ------------------------------------------------------------------------------------------
# Pods: replicas, security context, probes, resources, environment


def test_the_app_runs_at_least_two_replicas() -> None:
    assert app_deployment()["spec"]["replicas"] >= 2
    hpa = one("HorizontalPodAutoscaler", "toolbox")
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    rolling = app_deployment()["spec"]["strategy"]["rollingUpdate"]
    assert rolling["maxUnavailable"] == 0


def effective_security(workload: dict[str, Any], container: dict[str, Any]) -> dict[str, Any]:
    """The container's securityContext over the pod's (fields both define: the container wins)."""
    pod = workload["spec"]["template"]["spec"].get("securityContext", {})
    shared = ("runAsNonRoot", "runAsUser", "runAsGroup", "seccompProfile")
    return {**{k: pod[k] for k in shared if k in pod}, **container.get("securityContext", {})}


@pytest.mark.parametrize("name", ["toolbox", "redis"])
def test_every_container_runs_non_root_read_only_without_privileges(name: str) -> None:
    workload = one("Deployment", name)
    pod = workload["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        assert not pod.get(key), key
    assert all("hostPath" not in volume for volume in pod.get("volumes", []))
    for container in containers(workload):
        security = effective_security(workload, container)
        assert security["runAsNonRoot"] is True
        assert isinstance(security["runAsUser"], int) and security["runAsUser"] > 0
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security.get("privileged", False) is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert not security["capabilities"].get("add")
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}


def test_the_app_runs_as_the_image_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(rf"^USER {APP_UID}:{APP_UID}$", dockerfile, re.M)
    security = effective_security(app_deployment(), app_container())
    assert (security["runAsUser"], security["runAsGroup"]) == (APP_UID, APP_UID)


def test_the_namespace_enforces_the_restricted_pod_security_standard() -> None:
    (namespace,) = objects("Namespace").values()
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_gunicorn_has_a_writable_tmp() -> None:
    """The root filesystem is read-only; gunicorn's worker heartbeat files go to tempfile's
    directory (/tmp) unless worker_tmp_dir is set, which toolbox serve does not."""
    assert "worker_tmp_dir" not in gunicorn_options(app_settings())
    pod = app_deployment()["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m["name"] for m in app_container()["volumeMounts"]}
    assert "/tmp" in mounts
    assert not any(m.get("readOnly") for m in app_container()["volumeMounts"] if m["mountPath"] == "/tmp")
    volume = {v["name"]: v for v in pod["volumes"]}[mounts["/tmp"]]
    assert volume["emptyDir"]["medium"] == "Memory"
    assert volume["emptyDir"]["sizeLimit"]


def test_probes_ask_healthz_for_liveness_and_readyz_for_readiness() -> None:
    container = app_container()
    port = app_settings().port
    assert container_port(container, "http") == port
    expected = {"livenessProbe": "/healthz", "readinessProbe": "/readyz", "startupProbe": "/healthz"}
    for probe, path in expected.items():
        get = container[probe]["httpGet"]
        assert get["path"] == path, probe
        assert container_port(container, get["port"]) == port, probe
        assert get.get("scheme", "HTTP") == "HTTP"
    # Redis is probed too (a ping), so its Service only sends to a Redis that answers.
    for probe in ("livenessProbe", "readinessProbe"):
        assert redis_container()[probe]["exec"]["command"] == ["redis-cli", "ping"]


def quantity(text: str | int) -> float:
    """A Kubernetes resource quantity (the forms these manifests use) as a number."""
    units = {"m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    match = re.fullmatch(r"([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?", str(text))
    assert match, text
    return float(match.group(1)) * units[match.group(2) or ""]


@pytest.mark.parametrize("name", ["toolbox", "redis"])
def test_every_container_has_requests_within_limits(name: str) -> None:
    for container in containers(one("Deployment", name)):
        resources = container["resources"]
        for resource in ("cpu", "memory"):
            request = quantity(resources["requests"][resource])
            limit = quantity(resources["limits"][resource])
            assert 0 < request <= limit, (container["name"], resource)


def test_redis_memory_cap_is_below_its_limit() -> None:
    args = redis_container()["args"]
    maxmemory = args[args.index("--maxmemory") + 1]
    match = re.fullmatch(r"(\d+)mb", maxmemory)
    assert match
    assert int(match.group(1)) * 2**20 < quantity(redis_container()["resources"]["limits"]["memory"])
    # Counters only: never written to disk.
    assert args[args.index("--save") + 1] == ""
    assert args[args.index("--appendonly") + 1] == "no"


def test_the_app_settings_are_accepted_and_point_at_the_redis_service() -> None:
    settings = app_settings()  # raises ConfigError on any value the app would refuse at start
    assert settings.trusted_proxies == 1
    assert settings.host == "0.0.0.0"
    assert "toolbox.example.com" in settings.allowed_hosts

    storage = urlsplit(settings.ratelimit_storage)
    assert storage.scheme == "redis"
    service = one("Service", str(storage.hostname))
    (service_port,) = [p for p in service["spec"]["ports"] if p["port"] == storage.port]
    # The Service sends to the Redis pods, on the port Redis listens on.
    assert service_workloads(service) == ["redis"]
    assert container_port(redis_container(), service_port["targetPort"]) == 6379


def test_every_service_selects_exactly_its_workload_on_a_declared_port() -> None:
    for name, service in objects("Service").items():
        assert service_workloads(service) == [name]
        (container,) = one("Deployment", name)["spec"]["template"]["spec"]["containers"]
        for port in service["spec"]["ports"]:
            assert container_port(container, port["targetPort"])


def test_every_workload_selector_matches_its_own_pods_only() -> None:
    for name, workload in workloads().items():
        selector = workload["spec"]["selector"]
        assert selected_workloads(selector) == [name]
        for constraint in workload["spec"]["template"]["spec"].get("topologySpreadConstraints", []):
            assert selected_workloads(constraint["labelSelector"]) == [name]


def test_the_disruption_budget_covers_the_app_pods() -> None:
    pdb = one("PodDisruptionBudget", "toolbox")
    assert selected_workloads(pdb["spec"]["selector"]) == ["toolbox"]
    # It must still let a drain through: never all of the minimum replicas pinned.
    assert pdb["spec"]["maxUnavailable"] >= 1


def test_the_autoscaler_scales_the_app_deployment_on_cpu() -> None:
    hpa = one("HorizontalPodAutoscaler", "toolbox")
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
    assert one(target["kind"], target["name"]) is app_deployment()
    (metric,) = hpa["spec"]["metrics"]
    assert metric["type"] == "Resource"
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["type"] == "Utilization"
    # Utilization is measured against the requests, so the app must declare one.
    assert quantity(app_container()["resources"]["requests"]["cpu"]) > 0


# ------------------------------------------------------------------------------------------
# Network policies


def policies_for(workload: str) -> list[dict[str, Any]]:
    labels = pod_labels(one("Deployment", workload))
    return [p for p in objects("NetworkPolicy").values() if selects(p["spec"]["podSelector"], labels)]


def ports(rule: dict[str, Any]) -> set[tuple[str, int]]:
    return {(p.get("protocol", "TCP"), p["port"]) for p in rule["ports"]}


def test_the_namespace_denies_by_default() -> None:
    deny = one("NetworkPolicy", "default-deny")
    assert deny["spec"]["podSelector"] == {}
    assert sorted(deny["spec"]["policyTypes"]) == ["Egress", "Ingress"]
    assert not deny["spec"].get("ingress") and not deny["spec"].get("egress")


@pytest.mark.parametrize("workload", ["toolbox", "redis"])
def test_each_workload_has_its_own_policy_for_both_directions(workload: str) -> None:
    own = [p for p in policies_for(workload) if p["spec"]["podSelector"] != {}]
    assert [p["metadata"]["name"] for p in own] == [workload]
    assert sorted(own[0]["spec"]["policyTypes"]) == ["Egress", "Ingress"]
    # Every rule names its peers and ports: none is an allow-all.
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule in own[0]["spec"].get(direction) or []:
            assert rule.get(peers) and rule.get("ports"), (workload, direction, rule)


def test_the_app_accepts_traffic_only_from_the_ingress_controller_namespace() -> None:
    (rule,) = one("NetworkPolicy", "toolbox")["spec"]["ingress"]
    assert rule["from"] == [{"namespaceSelector": {"matchLabels": {
        "kubernetes.io/metadata.name": INGRESS_NAMESPACE}}}]
    assert ports(rule) == {("TCP", app_settings().port)}


def classify_egress(rule: dict[str, Any]) -> str:
    peers = rule["to"]
    if all(set(peer) == {"ipBlock"} for peer in peers):
        return "outside"
    (peer,) = peers
    if set(peer) == {"podSelector"}:  # same namespace
        (workload,) = selected_workloads(peer["podSelector"])
        return workload
    if set(peer) == {"namespaceSelector", "podSelector"}:
        namespace = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        if namespace == "kube-system" and peer["podSelector"]["matchLabels"] == {"k8s-app": "kube-dns"}:
            return "dns"
    raise AssertionError(f"unexpected egress peer {peers!r}")


def app_egress() -> dict[str, dict[str, Any]]:
    rules = one("NetworkPolicy", "toolbox")["spec"]["egress"]
    by_kind = {classify_egress(rule): rule for rule in rules}
    assert len(by_kind) == len(rules)
    return by_kind


def test_the_app_reaches_only_redis_dns_and_the_web() -> None:
    egress = app_egress()
    assert set(egress) == {"redis", "dns", "outside"}
    assert ports(egress["redis"]) == {("TCP", container_port(redis_container(), "redis"))}
    assert ports(egress["dns"]) == {("UDP", 53), ("TCP", 53)}
    assert ports(egress["outside"]) == {("TCP", 80), ("TCP", 443)}
    # The fetcher is told the same ports, so it refuses others instead of timing out.
    assert app_settings().fetch_ports == {80, 443}


def egress_allows_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    for peer in app_egress()["outside"]["to"]:
        block = peer["ipBlock"]
        cidr = ipaddress.ip_network(block["cidr"])
        if ip.version == cidr.version and ip in cidr and not any(
                ip in ipaddress.ip_network(excepted) for excepted in block.get("except", [])):
            return True
    return False


@pytest.mark.parametrize("address", [
    "10.0.0.1", "10.96.0.10", "172.16.0.1", "172.31.255.254", "192.168.1.1",
    "169.254.169.254",  # cloud metadata service
    "100.64.0.1", "127.0.0.1", "0.0.0.0",
    "::1", "fd00:ec2::254", "fd12:3456::1", "fe80::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
])
def test_the_app_cannot_reach_private_addresses(address: str) -> None:
    assert not egress_allows_address(address)


@pytest.mark.parametrize("address", ["1.1.1.1", "8.8.8.8", "93.184.215.14", "2606:4700:4700::1111"])
def test_the_app_can_reach_public_addresses(address: str) -> None:
    assert egress_allows_address(address)


def test_every_excepted_range_lies_in_its_block() -> None:
    for peer in app_egress()["outside"]["to"]:
        cidr = ipaddress.ip_network(peer["ipBlock"]["cidr"])
        for excepted in peer["ipBlock"]["except"]:
            assert ipaddress.ip_network(excepted).subnet_of(cidr)  # type: ignore[arg-type]


def test_redis_accepts_only_the_app_and_connects_nowhere() -> None:
    policy = one("NetworkPolicy", "redis")["spec"]
    (rule,) = policy["ingress"]
    (peer,) = rule["from"]
    assert set(peer) == {"podSelector"}  # same namespace, no namespaceSelector or ipBlock
    assert selected_workloads(peer["podSelector"]) == ["toolbox"]
    assert ports(rule) == {("TCP", container_port(redis_container(), "redis"))}
    assert "Egress" in policy["policyTypes"]
    assert not policy.get("egress")
