"""The sandbox as the Python `kubernetes` client sees it: CRUD with typed models (strict pydantic models fail on
any missing required field), watch, dynamic discovery, custom objects. Run by tests/sandbox_python.rs with the
kubeconfig path and context as arguments; prints OK and exits 0 on success."""
import sys
import time

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException

kubeconfig, context = sys.argv[1], sys.argv[2]
api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
core = client.CoreV1Api(api_client)
apps = client.AppsV1Api(api_client)
ext = client.ApiextensionsV1Api(api_client)
custom = client.CustomObjectsApi(api_client)

ns = "py-test"
core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
assert ns in [n.metadata.name for n in core.list_namespace().items]

# ConfigMap CRUD
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm1", labels={"app": "x"}), data={"a": "1"})
core.create_namespaced_config_map(ns, cm)
got = core.read_namespaced_config_map("cm1", ns)
assert got.data == {"a": "1"}, got.data
core.patch_namespaced_config_map("cm1", ns, {"data": {"b": "2"}})
got = core.read_namespaced_config_map("cm1", ns)
assert got.data == {"a": "1", "b": "2"}, got.data
lst = core.list_namespaced_config_map(ns, label_selector="app=x")
assert [i.metadata.name for i in lst.items] == ["cm1"], lst
try:
    core.create_namespaced_config_map(ns, cm)
    raise AssertionError("expected 409")
except ApiException as e:
    assert e.status == 409, e

# Deployment with typed models
dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="web"),
    spec=client.V1DeploymentSpec(
        replicas=2,
        selector=client.V1LabelSelector(match_labels={"app": "web"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "web"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="nginx", image="nginx:1.25")]),
        ),
    ),
)
apps.create_namespaced_deployment(ns, dep)
d = apps.read_namespaced_deployment("web", ns)
assert d.spec.replicas == 2
apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 3}})
assert apps.read_namespaced_deployment("web", ns).spec.replicas == 3

# Watch (bounded)
w = watch.Watch()
seen = []
for ev in w.stream(core.list_namespaced_config_map, ns, timeout_seconds=2):
    seen.append((ev["type"], ev["object"].metadata.name))
    if len(seen) >= 1:
        w.stop()
assert ("ADDED", "cm1") in seen, seen

# CRD + custom objects
crd = client.V1CustomResourceDefinition(
    metadata=client.V1ObjectMeta(name="gadgets.example.org"),
    spec=client.V1CustomResourceDefinitionSpec(
        group="example.org",
        scope="Namespaced",
        names=client.V1CustomResourceDefinitionNames(plural="gadgets", singular="gadget", kind="Gadget"),
        versions=[client.V1CustomResourceDefinitionVersion(
            name="v1", served=True, storage=True,
            schema=client.V1CustomResourceValidation(open_apiv3_schema=client.V1JSONSchemaProps(
                type="object", x_kubernetes_preserve_unknown_fields=True)),
        )],
    ),
)
ext.create_custom_resource_definition(crd)
for _ in range(50):
    c = ext.read_custom_resource_definition("gadgets.example.org")
    if any(x.type == "Established" and x.status == "True" for x in (c.status.conditions or [])):
        break
    time.sleep(0.1)
else:
    raise AssertionError("CRD not established")
custom.create_namespaced_custom_object("example.org", "v1", ns, "gadgets",
                                       {"apiVersion": "example.org/v1", "kind": "Gadget", "metadata": {"name": "g1"}, "spec": {"n": 1}})
g = custom.get_namespaced_custom_object("example.org", "v1", ns, "gadgets", "g1")
assert g["spec"]["n"] == 1, g
custom.patch_namespaced_custom_object("example.org", "v1", ns, "gadgets", "g1", {"spec": {"n": 2}})
assert custom.get_namespaced_custom_object("example.org", "v1", ns, "gadgets", "g1")["spec"]["n"] == 2

# Dynamic client discovery sees the CRD-registered type
dyn = dynamic.DynamicClient(api_client)
gadgets = dyn.resources.get(api_version="example.org/v1", kind="Gadget")
assert [i.metadata.name for i in gadgets.get(namespace=ns).items] == ["g1"]
cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
assert cms.get(name="cm1", namespace=ns).data.a == "1"

# Delete
core.delete_namespaced_config_map("cm1", ns)
try:
    core.read_namespaced_config_map("cm1", ns)
    raise AssertionError("expected 404")
except ApiException as e:
    assert e.status == 404
core.delete_namespace(ns)
print("OK")
