// Defaulting (kube-api-contract §9) and generation rules (§7.2).
#include <gtest/gtest.h>

#include "kubesim/defaults.h"

namespace gitopsd::kubesim {
namespace {

Object Json(std::string_view text) { return Object::parse(text); }

Object At(const Object& obj, std::string_view dotted) {
  const Object* v = FindPath(obj, dotted);
  return v != nullptr ? *v : Object("<absent>");
}

Object Defaulted(std::string_view text, const DefaultsContext& ctx = {}) {
  Object obj = Json(text);
  ApplyDefaults(obj, ctx);
  return obj;
}

constexpr std::string_view kDeployment = R"({"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web"},
  "spec": {"selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [{"name": "main", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
                               "livenessProbe": {"httpGet": {"port": 80}},
                               "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}],
               "initContainers": [{"name": "init", "image": "busybox"}],
               "volumes": [{"name": "cm", "configMap": {"name": "c"}}, {"name": "s", "secret": {"secretName": "s"}},
                           {"name": "h", "hostPath": {"path": "/x"}}, {"name": "e"},
                           {"name": "d", "downwardAPI": {"items": []}}, {"name": "p", "projected": {"sources": []}}]}}}})";

TEST(DeploymentDefaultsTest, SpecAndStrategy) {
  Object d = Defaulted(kDeployment);
  EXPECT_EQ(At(d, "spec.replicas"), 1);
  EXPECT_EQ(At(d, "spec.revisionHistoryLimit"), 10);
  EXPECT_EQ(At(d, "spec.progressDeadlineSeconds"), 600);
  EXPECT_EQ(At(d, "spec.strategy").dump(),
            R"({"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}})");
  EXPECT_EQ(At(d, "status"), Object::object());
}

TEST(DeploymentDefaultsTest, RecreateStrategyGetsOnlyItsType) {
  Object in = Json(kDeployment);
  in["spec"]["strategy"] = Json(R"({"type": "Recreate"})");
  ApplyDefaults(in);
  EXPECT_EQ(At(in, "spec.strategy").dump(), R"({"type":"Recreate"})");
}

TEST(DeploymentDefaultsTest, ExplicitValuesAreKept) {
  Object in = Json(kDeployment);
  in["spec"]["replicas"] = 0;
  in["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Never";
  ApplyDefaults(in);
  EXPECT_EQ(At(in, "spec.replicas"), 0);
  EXPECT_EQ(At(in, "spec.template.spec.containers").at(0)["imagePullPolicy"], "Never");
}

TEST(PodTemplateDefaultsTest, PodSpecContainersProbesEnvVolumes) {
  Object d = Defaulted(kDeployment);
  Object tmpl = At(d, "spec.template");
  EXPECT_TRUE(tmpl["metadata"].contains("creationTimestamp"));
  EXPECT_TRUE(tmpl["metadata"]["creationTimestamp"].is_null());
  const Object& spec = tmpl["spec"];
  EXPECT_EQ(spec["restartPolicy"], "Always");
  EXPECT_EQ(spec["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(spec["dnsPolicy"], "ClusterFirst");
  EXPECT_EQ(spec["securityContext"], Object::object());
  EXPECT_EQ(spec["schedulerName"], "default-scheduler");
  for (const char* list : {"containers", "initContainers"}) {
    const Object& c = spec[list][0];
    EXPECT_EQ(c["terminationMessagePath"], "/dev/termination-log") << list;
    EXPECT_EQ(c["terminationMessagePolicy"], "File") << list;
    EXPECT_EQ(c["resources"], Object::object()) << list;
  }
  const Object& main = spec["containers"][0];
  EXPECT_EQ(main["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(spec["initContainers"][0]["imagePullPolicy"], "Always");
  EXPECT_EQ(main["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(main["livenessProbe"].dump(),
            R"({"httpGet":{"port":80,"scheme":"HTTP","path":"/"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3})");
  EXPECT_EQ(main["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
  const Object& v = spec["volumes"];
  EXPECT_EQ(v[0]["configMap"]["defaultMode"], 420);
  EXPECT_EQ(v[1]["secret"]["defaultMode"], 420);
  EXPECT_EQ(v[2]["hostPath"]["type"], "");
  EXPECT_EQ(v[3]["emptyDir"], Object::object());
  EXPECT_EQ(v[4]["downwardAPI"]["defaultMode"], 420);
  EXPECT_EQ(v[5]["projected"]["defaultMode"], 420);
}

TEST(PodTemplateDefaultsTest, ImagePullPolicyFollowsTheTag) {
  struct Case {
    const char* image;
    const char* policy;
  };
  for (const Case& c : {Case{"nginx", "Always"}, Case{"nginx:latest", "Always"}, Case{"nginx:1.25", "IfNotPresent"},
                        Case{"repo/x@sha256:abc", "IfNotPresent"}, Case{"localhost:5000/app", "Always"},
                        Case{"localhost:5000/app:v1", "IfNotPresent"}}) {
    Object d = Json(kDeployment);
    d["spec"]["template"]["spec"]["containers"][0]["image"] = c.image;
    ApplyDefaults(d);
    EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"], c.policy) << c.image;
  }
}

TEST(PodTemplateDefaultsTest, DefaultingIsIdempotent) {
  Object once = Defaulted(kDeployment);
  Object twice = once;
  ApplyDefaults(twice);
  EXPECT_EQ(once.dump(), twice.dump());
}

TEST(PodDefaultsTest, PodOnlyFields) {
  Object p = Defaulted(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                           "spec": {"containers": [{"name": "c", "image": "x:1"}]}})");
  EXPECT_EQ(At(p, "spec.enableServiceLinks"), true);
  EXPECT_EQ(At(p, "spec.priority"), 0);
  EXPECT_EQ(At(p, "spec.serviceAccountName"), "default");
  EXPECT_EQ(At(p, "spec.restartPolicy"), "Always");
}

TEST(ReplicaSetDefaultsTest, ReplicasAndTemplate) {
  Object rs = Defaulted(R"({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
      "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}})");
  EXPECT_EQ(At(rs, "spec.replicas"), 1);
  EXPECT_EQ(At(rs, "spec.template.spec.dnsPolicy"), "ClusterFirst");
}

TEST(ServiceDefaultsTest, ClusterIpServiceWithAllocation) {
  DefaultsContext ctx;
  ctx.allocate_cluster_ip = [] { return std::string("10.96.0.17"); };
  Object s = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})", ctx);
  const Object& spec = s["spec"];
  EXPECT_EQ(spec["type"], "ClusterIP");
  EXPECT_EQ(spec["sessionAffinity"], "None");
  EXPECT_EQ(spec["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(spec["ports"][0]["targetPort"], 80);
  EXPECT_EQ(spec["internalTrafficPolicy"], "Cluster");
  EXPECT_EQ(spec["clusterIP"], "10.96.0.17");
  EXPECT_EQ(spec["clusterIPs"].dump(), R"(["10.96.0.17"])");
  EXPECT_EQ(spec["ipFamilies"].dump(), R"(["IPv4"])");
  EXPECT_EQ(spec["ipFamilyPolicy"], "SingleStack");
  EXPECT_FALSE(spec.contains("externalTrafficPolicy"));
  EXPECT_EQ(s["status"].dump(), R"({"loadBalancer":{}})");
}

TEST(ServiceDefaultsTest, HeadlessKeepsNone) {
  DefaultsContext ctx;
  ctx.allocate_cluster_ip = []() -> std::string { ADD_FAILURE() << "headless must not allocate"; return ""; };
  Object s = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "h"},
      "spec": {"clusterIP": "None", "ports": [{"port": 80, "targetPort": "http"}]}})", ctx);
  EXPECT_EQ(At(s, "spec.clusterIP"), "None");
  EXPECT_EQ(At(s, "spec.clusterIPs").dump(), R"(["None"])");
  EXPECT_EQ(At(s, "spec.ports")[0]["targetPort"], "http");
}

TEST(ServiceDefaultsTest, NodePortAndLoadBalancer) {
  DefaultsContext ctx;
  int next = 30000;
  ctx.allocate_cluster_ip = [] { return std::string("10.96.0.5"); };
  ctx.allocate_node_port = [&next] { return static_cast<int64_t>(next++); };
  Object lb = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
      "spec": {"type": "LoadBalancer", "ports": [{"port": 80}, {"port": 443, "nodePort": 31443}]}})", ctx);
  EXPECT_EQ(At(lb, "spec.ports")[0]["nodePort"], 30000);
  EXPECT_EQ(At(lb, "spec.ports")[1]["nodePort"], 31443);
  EXPECT_EQ(At(lb, "spec.externalTrafficPolicy"), "Cluster");
  EXPECT_EQ(At(lb, "spec.allocateLoadBalancerNodePorts"), true);
  Object np = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np"},
      "spec": {"type": "NodePort", "ports": [{"port": 80}]}})", ctx);
  EXPECT_EQ(At(np, "spec.ports")[0]["nodePort"], 30001);
  EXPECT_FALSE(At(np, "spec").contains("allocateLoadBalancerNodePorts"));
}

TEST(ServiceDefaultsTest, UpdateKeepsAllocatedValuesItOmits) {
  DefaultsContext create;
  create.allocate_cluster_ip = [] { return std::string("10.96.0.9"); };
  create.allocate_node_port = [] { return int64_t{30123}; };
  constexpr std::string_view kSvc = R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np"},
      "spec": {"type": "NodePort", "ports": [{"port": 80}]}})";
  Object stored = Defaulted(kSvc, create);
  DefaultsContext update;
  update.old_obj = &stored;
  update.allocate_cluster_ip = []() -> std::string { ADD_FAILURE() << "reallocated"; return ""; };
  update.allocate_node_port = []() -> int64_t { ADD_FAILURE() << "reallocated"; return 0; };
  Object updated = Defaulted(kSvc, update);
  EXPECT_EQ(CanonicalJson(updated), CanonicalJson(stored));
}

TEST(ServiceDefaultsTest, ClientIpAffinityTimeout) {
  Object s = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"},
      "spec": {"sessionAffinity": "ClientIP", "ports": [{"port": 80}]}})");
  EXPECT_EQ(At(s, "spec.sessionAffinityConfig.clientIP.timeoutSeconds"), 10800);
}

TEST(ServiceDefaultsTest, ExternalNameGetsNoAddresses) {
  Object s = Defaulted(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
      "spec": {"type": "ExternalName", "externalName": "example.com"}})");
  EXPECT_FALSE(s["spec"].contains("ipFamilies"));
  EXPECT_EQ(At(s, "spec.sessionAffinity"), "None");
}

TEST(SecretDefaultsTest, OpaqueTypeAndStringDataFolded) {
  Object s = Defaulted(R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
      "data": {"a": "b2xk", "password": "b2xk"}, "stringData": {"password": "hunter2", "x": "ab", "y": "a"}})");
  EXPECT_EQ(s["type"], "Opaque");
  EXPECT_FALSE(s.contains("stringData"));
  EXPECT_EQ(CanonicalJson(s["data"]), R"({"a":"b2xk","password":"aHVudGVyMg==","x":"YWI=","y":"YQ=="})");
  Object typed = Defaulted(R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "type": "kubernetes.io/tls"})");
  EXPECT_EQ(typed["type"], "kubernetes.io/tls");
  Object empty_type = Defaulted(R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "type": ""})");
  EXPECT_EQ(empty_type["type"], "Opaque");
}

TEST(ConfigMapDefaultsTest, NothingIsAdded) {
  constexpr std::string_view kCm = R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})";
  EXPECT_EQ(Defaulted(kCm).dump(), Json(kCm).dump());
  constexpr std::string_view kSa = R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "s"}})";
  EXPECT_EQ(Defaulted(kSa).dump(), Json(kSa).dump());
}

TEST(NamespaceDefaultsTest, NameLabelFinalizerPhase) {
  Object ns = Defaulted(R"({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": "ns1", "labels": {"kubernetes.io/metadata.name": "lie"}}})");
  EXPECT_EQ(At(ns, "metadata.labels").dump(), R"({"kubernetes.io/metadata.name":"ns1"})");
  EXPECT_EQ(At(ns, "spec.finalizers").dump(), R"(["kubernetes"])");
  EXPECT_EQ(At(ns, "status.phase"), "Active");
}

TEST(StatefulSetDefaultsTest, AllFieldsAndClaimTemplates) {
  Object s = Defaulted(R"({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
      "spec": {"serviceName": "db", "template": {"spec": {"containers": [{"name": "c", "image": "pg:16"}]}},
               "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}})");
  EXPECT_EQ(At(s, "spec.replicas"), 1);
  EXPECT_EQ(At(s, "spec.podManagementPolicy"), "OrderedReady");
  EXPECT_EQ(At(s, "spec.revisionHistoryLimit"), 10);
  EXPECT_EQ(At(s, "spec.updateStrategy").dump(), R"({"type":"RollingUpdate","rollingUpdate":{"partition":0}})");
  EXPECT_EQ(At(s, "spec.persistentVolumeClaimRetentionPolicy").dump(), R"({"whenDeleted":"Retain","whenScaled":"Retain"})");
  Object claim = At(s, "spec.volumeClaimTemplates")[0];
  EXPECT_EQ(claim["apiVersion"], "v1");
  EXPECT_EQ(claim["kind"], "PersistentVolumeClaim");
  EXPECT_TRUE(claim["metadata"]["creationTimestamp"].is_null());
  EXPECT_EQ(claim["spec"]["volumeMode"], "Filesystem");
  EXPECT_EQ(claim["status"].dump(), R"({"phase":"Pending"})");
  EXPECT_EQ(At(s, "spec.template.spec.restartPolicy"), "Always");
}

TEST(DaemonSetDefaultsTest, UpdateStrategy) {
  Object d = Defaulted(R"({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"},
      "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}})");
  EXPECT_EQ(At(d, "spec.revisionHistoryLimit"), 10);
  EXPECT_EQ(At(d, "spec.updateStrategy").dump(),
            R"({"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}})");
}

TEST(JobDefaultsTest, SpecSelectorAndLabels) {
  Object j = Defaulted(R"({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "uid": "u-1"},
      "spec": {"template": {"metadata": {"labels": {"app": "m"}},
                            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x:1"}]}}}})");
  EXPECT_EQ(At(j, "spec.completions"), 1);
  EXPECT_EQ(At(j, "spec.parallelism"), 1);
  EXPECT_EQ(At(j, "spec.backoffLimit"), 6);
  EXPECT_EQ(At(j, "spec.completionMode"), "NonIndexed");
  EXPECT_EQ(At(j, "spec.suspend"), false);
  EXPECT_EQ(At(j, "spec.podReplacementPolicy"), "TerminatingOrFailed");
  EXPECT_EQ(At(j, "spec.manualSelector"), false);
  EXPECT_EQ(At(j, "spec.selector").dump(), R"({"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}})");
  EXPECT_EQ(CanonicalJson(At(j, "spec.template.metadata.labels")),
            R"({"app":"m","batch.kubernetes.io/controller-uid":"u-1","batch.kubernetes.io/job-name":"migrate","controller-uid":"u-1","job-name":"migrate"})");
  EXPECT_EQ(At(j, "metadata.labels").dump(), R"({"app":"m"})");
  EXPECT_EQ(At(j, "spec.template.spec.restartPolicy"), "Never");
  EXPECT_EQ(At(j, "spec.template.spec.dnsPolicy"), "ClusterFirst");
}

TEST(JobDefaultsTest, ParallelismAloneLeavesCompletionsUnsetAndNoRestartPolicy) {
  Object j = Defaulted(R"({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
      "spec": {"parallelism": 3, "template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}})");
  EXPECT_FALSE(j["spec"].contains("completions"));
  EXPECT_EQ(At(j, "spec.parallelism"), 3);
  EXPECT_FALSE(j["spec"]["template"]["spec"].contains("restartPolicy"));
  EXPECT_FALSE(j["spec"].contains("selector"));  // no uid yet: nothing generated
}

TEST(CronJobDefaultsTest, SpecAndJobTemplate) {
  Object c = Defaulted(R"({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
      "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
          "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x:1"}]}}}}}})");
  EXPECT_EQ(At(c, "spec.concurrencyPolicy"), "Allow");
  EXPECT_EQ(At(c, "spec.suspend"), false);
  EXPECT_EQ(At(c, "spec.successfulJobsHistoryLimit"), 3);
  EXPECT_EQ(At(c, "spec.failedJobsHistoryLimit"), 1);
  EXPECT_TRUE(At(c, "spec.jobTemplate.metadata.creationTimestamp").is_null());
  EXPECT_FALSE(At(c, "spec.jobTemplate.spec").contains("backoffLimit"));
  EXPECT_EQ(At(c, "spec.jobTemplate.spec.template.spec.schedulerName"), "default-scheduler");
  EXPECT_TRUE(At(c, "spec.jobTemplate.spec.template.metadata.creationTimestamp").is_null());
}

TEST(IngressAndRbacDefaultsTest, StatusAndApiGroups) {
  Object ing = Defaulted(R"({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
                             "spec": {"rules": []}})");
  EXPECT_EQ(ing["status"].dump(), R"({"loadBalancer":{}})");
  EXPECT_EQ(ing["spec"].dump(), R"({"rules":[]})");
  Object rb = Defaulted(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b"},
      "roleRef": {"kind": "Role", "name": "r"},
      "subjects": [{"kind": "User", "name": "u"}, {"kind": "Group", "name": "g"},
                   {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}]})");
  EXPECT_EQ(At(rb, "roleRef.apiGroup"), "rbac.authorization.k8s.io");
  EXPECT_EQ(rb["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io");
  EXPECT_EQ(rb["subjects"][1]["apiGroup"], "rbac.authorization.k8s.io");
  EXPECT_FALSE(rb["subjects"][2].contains("apiGroup"));
  Object crb = Defaulted(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
      "metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "r", "apiGroup": ""}})");
  EXPECT_EQ(At(crb, "roleRef.apiGroup"), "rbac.authorization.k8s.io");
}

TEST(OtherDefaultsTest, PvcAndNetworkPolicy) {
  Object pvc = Defaulted(R"({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "p"}, "spec": {}})");
  EXPECT_EQ(At(pvc, "spec.volumeMode"), "Filesystem");
  Object np = Defaulted(R"({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"},
      "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}})");
  EXPECT_EQ(At(np, "spec.policyTypes").dump(), R"(["Ingress","Egress"])");
  EXPECT_EQ(At(np, "spec.egress")[0]["ports"][0]["protocol"], "TCP");
}

TEST(ApplyDefaultsTest, UnknownKindsAreUntouched) {
  constexpr std::string_view kCr = R"({"apiVersion": "example.com/v1", "kind": "Deployment", "spec": {}})";
  EXPECT_EQ(Defaulted(kCr).dump(), Json(kCr).dump());
}

// §7.2 generation rules.
TEST(GenerationTest, WhichKindsTrackGeneration) {
  EXPECT_TRUE(TracksGeneration(Json(R"({"apiVersion": "apps/v1", "kind": "Deployment"})")));
  EXPECT_TRUE(TracksGeneration(Json(R"({"apiVersion": "batch/v1", "kind": "CronJob"})")));
  EXPECT_TRUE(TracksGeneration(Json(R"({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress"})")));
  EXPECT_TRUE(TracksGeneration(Json(R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"})")));
  EXPECT_TRUE(TracksGeneration(Json(R"({"apiVersion": "example.com/v1", "kind": "Widget"})")));
  for (const char* kind : {"ConfigMap", "Secret", "Service", "ServiceAccount", "Namespace", "Pod", "Event"}) {
    Object o = {{"apiVersion", "v1"}, {"kind", kind}};
    EXPECT_FALSE(TracksGeneration(o)) << kind;
  }
  EXPECT_FALSE(TracksGeneration(Json(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role"})")));
}

TEST(GenerationTest, DeploymentBumpsOnSpecAndAnnotationsNotLabelsOrStatus) {
  Object d = Defaulted(kDeployment);
  Object spec = d;
  spec["spec"]["replicas"] = 5;
  EXPECT_TRUE(BumpsGeneration(d, spec));
  Object ann = d;
  ann["metadata"]["annotations"] = Json(R"({"a": "b"})");
  EXPECT_TRUE(BumpsGeneration(d, ann));
  Object lab = d;
  lab["metadata"]["labels"] = Json(R"({"a": "b"})");
  EXPECT_FALSE(BumpsGeneration(d, lab));
  Object st = d;
  st["status"] = Json(R"({"replicas": 1})");
  EXPECT_FALSE(BumpsGeneration(d, st));
  EXPECT_FALSE(BumpsGeneration(d, d));
  WriteScope status_write;
  status_write.subresource = "status";
  EXPECT_FALSE(BumpsGeneration(d, spec, status_write));
}

TEST(GenerationTest, OtherWorkloadsIgnoreAnnotations) {
  Object s = Json(R"({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {"replicas": 1}})");
  Object ann = s;
  ann["metadata"]["annotations"] = Json(R"({"a": "b"})");
  EXPECT_FALSE(BumpsGeneration(s, ann));
  Object spec = s;
  spec["spec"]["replicas"] = 2;
  EXPECT_TRUE(BumpsGeneration(s, spec));
  Object cm = Json(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})");
  Object cm2 = cm;
  cm2["data"]["a"] = "2";
  EXPECT_FALSE(BumpsGeneration(cm, cm2));
}

TEST(GenerationTest, CustomResourcesBumpOnAnyContentChange) {
  Object w = Json(R"({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                   "spec": {"size": 1}, "status": {"ok": false}, "extra": 1})");
  Object top = w;
  top["extra"] = 2;
  EXPECT_TRUE(BumpsGeneration(w, top));
  Object meta = w;
  meta["metadata"]["labels"] = Json(R"({"a": "b"})");
  EXPECT_FALSE(BumpsGeneration(w, meta));
  Object status = w;
  status["status"]["ok"] = true;
  EXPECT_FALSE(BumpsGeneration(w, status));
  WriteScope no_subresource;
  no_subresource.status_is_subresource = false;
  EXPECT_TRUE(BumpsGeneration(w, status, no_subresource));
}

}  // namespace
}  // namespace gitopsd::kubesim
