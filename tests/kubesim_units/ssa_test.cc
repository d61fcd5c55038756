// Server-side apply scenarios of kube-api-contract §8.3-§8.5 and §7.3:
// ownership, conflicts, force, shared ownership, field removal, non-apply
// writes, client-written managedFields and no-op detection.
#include <gtest/gtest.h>

#include "core/managed_fields_entries.h"
#include "kubesim/defaults.h"
#include "kubesim/ssa.h"

namespace gitopsd::kubesim {
namespace {

constexpr char kT1[] = "2025-05-15T20:09:34Z";
constexpr char kT2[] = "2025-05-15T20:10:00Z";
constexpr char kT3[] = "2025-05-15T20:11:00Z";

Object J(std::string_view text) { return Object::parse(text); }

Object Deployment(std::string_view image = "nginx:1.25", int replicas = 2) {
  Object d = J(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "ns1", "labels": {"app": "web"}},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "main", "image": "x", "ports": [{"containerPort": 80}]}]}}}})");
  d["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  d["spec"]["replicas"] = replicas;
  return d;
}

Object ConfigMap(const Object& data, const Object& labels = Object()) {
  Object cm = J(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "prune-me", "namespace": "ns1"}})");
  if (!labels.is_null()) cm["metadata"]["labels"] = labels;
  if (!data.is_null()) cm["data"] = data;
  return cm;
}

ApplyOptions Apply(std::string manager, const char* now = kT1, bool force = false) {
  ApplyOptions o;
  o.manager = std::move(manager);
  o.force = force;
  o.scope.now = now;
  return o;
}

UpdateOptions Update(std::string manager, const char* now = kT1) {
  UpdateOptions o;
  o.manager = std::move(manager);
  o.scope.now = now;
  return o;
}

// What the server does after a successful apply: defaults, keep metadata.
Object ApplyOk(const Object* live, const Object& applied, const ApplyOptions& options) {
  auto r = ServerSideApply(live, applied, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return live != nullptr ? *live : Object();
  ApplyDefaults(r->object);
  return r->object;
}

const ManagedFieldsEntry* Entry(const Object& obj, std::string_view manager, std::string_view operation) {
  static ManagedFields entries;
  auto parsed = ParseManagedFields(obj);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  entries = parsed.ok() ? *parsed : ManagedFields{};
  for (const ManagedFieldsEntry& e : entries) {
    if (e.manager == manager && e.operation == operation) return &e;
  }
  return nullptr;
}

bool Owns(const Object& obj, std::string_view manager, std::string_view fields_v1) {
  auto want = FieldSet::FromFieldsV1(J(fields_v1));
  EXPECT_TRUE(want.ok());
  auto owned = FieldsOwnedBy(obj, manager);
  EXPECT_TRUE(owned.ok());
  return want.ok() && owned.ok() && owned->Intersection(*want) == *want;
}

TEST(ServerSideApplyTest, CreateOwnsExactlyTheAppliedFields) {
  auto r = ServerSideApply(nullptr, Deployment(), Apply("kubectl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->created);
  EXPECT_EQ(NameOf(r->object), "web");
  EXPECT_EQ(NamespaceOf(r->object), "ns1");
  EXPECT_EQ(r->object["spec"]["replicas"], 2);
  const Object& mf = r->object["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 1u);
  EXPECT_EQ(mf[0].dump(), J(R"({"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
      "time": "2025-05-15T20:09:34Z", "fieldsType": "FieldsV1",
      "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:replicas": {}, "f:selector": {},
          "f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {"k:{\"name\":\"main\"}": {".": {}, "f:image": {}, "f:name": {},
              "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}}}}}}}})")
                            .dump());
}

TEST(ServerSideApplyTest, ReapplyingUnchangedManifestIsANoOpEvenAtALaterTime) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl", kT1));
  Object again = ApplyOk(&live, Deployment(), Apply("kubectl", kT2));
  EXPECT_TRUE(IsNoOpWrite(live, again));
  EXPECT_FALSE(BumpsGeneration(live, again));
}

TEST(ServerSideApplyTest, ChangedImageIsNotANoOpAndBumpsGeneration) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl", kT1));
  Object changed = ApplyOk(&live, Deployment("nginx:1.26"), Apply("kubectl", kT2));
  EXPECT_FALSE(IsNoOpWrite(live, changed));
  EXPECT_TRUE(BumpsGeneration(live, changed));
  EXPECT_EQ(changed["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.26");
  EXPECT_EQ(Entry(changed, "kubectl", "Apply")->time, kT2);
}

TEST(ServerSideApplyTest, ConflictWithClientSideApplyManagerMatchesTheApiserver) {
  Object live = Deployment();
  ApplyDefaults(live);
  ASSERT_TRUE(RecordUpdate(live, nullptr, Update("kubectl-client-side-apply")).ok());
  std::vector<FieldConflict> conflicts;
  auto r = ServerSideApply(&live, Deployment("nginx:1.26"), Apply("kubectl"), &conflicts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().message(),
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: "
            ".spec.template.spec.containers[name=\"main\"].image");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(ConflictStatus(conflicts).dump(), J(R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
    "message":"Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.template.spec.containers[name=\"main\"].image",
    "reason":"Conflict",
    "details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"kubectl-client-side-apply\" using apps/v1","field":".spec.template.spec.containers[name=\"main\"].image"}]},
    "code":409})").dump());
}

TEST(ServerSideApplyTest, SameValuesAsAnotherOwnerDoNotConflict) {
  Object live = Deployment();
  ApplyDefaults(live);
  ASSERT_TRUE(RecordUpdate(live, nullptr, Update("kubectl-client-side-apply")).ok());
  auto r = ServerSideApply(&live, Deployment(), Apply("kubectl"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST(ServerSideApplyTest, ConflictsOnSeveralFieldsAreGroupedByManager) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl"));
  Object other = ConfigMap(Object());
  Object applied = Deployment("nginx:2", 5);
  std::vector<FieldConflict> conflicts;
  auto r = ServerSideApply(&live, applied, Apply("ksc-other"), &conflicts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(r.status().message(),
            "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n"
            "- .spec.replicas\n"
            "- .spec.template.spec.containers[name=\"main\"].image");
}

TEST(ConflictMessageTest, OneHeaderPerManagerSorted) {
  FieldPath replicas{PathElement::Field("spec"), PathElement::Field("replicas")};
  FieldPath paused{PathElement::Field("spec"), PathElement::Field("paused")};
  std::string msg = ConflictMessage({{"\"m1\"", replicas}, {"\"m0\" using apps/v1", paused}, {"\"m1\"", paused}});
  EXPECT_EQ(msg, "Apply failed with 3 conflicts: conflicts with \"m0\" using apps/v1:\n- .spec.paused\n"
                 "conflicts with \"m1\":\n- .spec.replicas\n- .spec.paused");
}

TEST(ServerSideApplyTest, ConflictLeavesNothingChangedAndForceTakesOwnership) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl"));
  Object replicas_only = J(R"({"apiVersion": "apps/v1", "kind": "Deployment",
                               "metadata": {"name": "web", "namespace": "ns1"}, "spec": {"replicas": 3}})");
  auto rejected = ServerSideApply(&live, replicas_only, Apply("ksc-other"));
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("conflict with \"kubectl\": .spec.replicas"), std::string::npos);

  // Shared ownership first (same value), then a forced change.
  Object shared_cfg = replicas_only;
  shared_cfg["spec"]["replicas"] = 2;
  Object shared = ApplyOk(&live, shared_cfg, Apply("ksc-sharer", kT2));
  EXPECT_TRUE(Owns(shared, "ksc-sharer", R"({"f:spec": {"f:replicas": {}}})"));
  EXPECT_TRUE(Owns(shared, "kubectl", R"({"f:spec": {"f:replicas": {}}})"));
  EXPECT_FALSE(IsNoOpWrite(live, shared));  // ownership changed

  Object forced = ApplyOk(&shared, replicas_only, Apply("ksc-other", kT3, /*force=*/true));
  EXPECT_EQ(forced["spec"]["replicas"], 3);
  EXPECT_TRUE(Owns(forced, "ksc-other", R"({"f:spec": {"f:replicas": {}}})"));
  EXPECT_FALSE(Owns(forced, "kubectl", R"({"f:spec": {"f:replicas": {}}})"));
  EXPECT_FALSE(Owns(forced, "ksc-sharer", R"({"f:spec": {"f:replicas": {}}})"));
  // ksc-sharer owned nothing else: its entry is gone.
  EXPECT_EQ(Entry(forced, "ksc-sharer", "Apply"), nullptr);
  // kubectl keeps the rest.
  EXPECT_TRUE(Owns(forced, "kubectl", R"({"f:spec": {"f:selector": {}}})"));
}

TEST(ServerSideApplyTest, FieldsNoLongerAppliedAreRemovedUnlessCoOwned) {
  // §8.4, the conformance check's sequence.
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"keep": "1", "drop": "2"})"), J(R"({"app": "web", "tier": "x"})")),
                        Apply("kubectl"));
  live = ApplyOk(&live, ConfigMap(J(R"({"keep": "1"})"), J(R"({"app": "web"})")), Apply("kubectl", kT2));
  EXPECT_EQ(live["data"].dump(), R"({"keep":"1"})");
  EXPECT_FALSE(live["metadata"]["labels"].contains("tier"));

  live = ApplyOk(&live, ConfigMap(J(R"({"keep": "1"})")), Apply("ksc-co", kT2));
  live = ApplyOk(&live, ConfigMap(J(R"({"other": "3"})"), J(R"({"app": "web"})")), Apply("kubectl", kT3));
  EXPECT_EQ(CanonicalJson(live["data"]), R"({"keep":"1","other":"3"})");
  EXPECT_TRUE(Owns(live, "ksc-co", R"({"f:data": {"f:keep": {}}})"));
  EXPECT_FALSE(Owns(live, "kubectl", R"({"f:data": {"f:keep": {}}})"));
}

TEST(ServerSideApplyTest, DroppingTheLastLabelRemovesTheLabelsMap) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})"), J(R"({"tier": "x"})")), Apply("kubectl"));
  live = ApplyOk(&live, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl", kT2));
  EXPECT_FALSE(live["metadata"].contains("labels"));
}

TEST(ServerSideApplyTest, RemovedDefaultedFieldComesBackWithItsDefault) {
  Object live = ApplyOk(nullptr, Deployment("nginx:1.25", 4), Apply("kubectl"));
  Object no_replicas = Deployment();
  no_replicas["spec"].erase("replicas");
  Object after = ApplyOk(&live, no_replicas, Apply("kubectl", kT2));
  EXPECT_EQ(after["spec"]["replicas"], 1);
}

TEST(ServerSideApplyTest, KeyedListItemsMergeByKeyAndDroppedItemsDisappear) {
  Object two = Deployment();
  two["spec"]["template"]["spec"]["containers"].push_back(J(R"({"name": "side", "image": "busybox:1"})"));
  Object live = ApplyOk(nullptr, two, Apply("kubectl"));
  // Another manager edits the sidecar's image with a non-apply write.
  Object edited = live;
  edited["spec"]["template"]["spec"]["containers"][1]["image"] = "busybox:2";
  ASSERT_TRUE(RecordUpdate(edited, &live, Update("kubectl-set", kT2)).ok());
  EXPECT_TRUE(Owns(edited, "kubectl-set",
                   R"({"f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"side\"}": {"f:image": {}}}}}}})"));

  // kubectl stops applying the sidecar: the item stays (kubectl-set owns a
  // field in it) but loses what only kubectl owned.
  Object after = ApplyOk(&edited, Deployment(), Apply("kubectl", kT3));
  const Object& containers = after["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u);
  EXPECT_EQ(containers[1]["image"], "busybox:2");

  // Without the other owner the item disappears.
  Object plain = ApplyOk(nullptr, two, Apply("kubectl"));
  Object one = ApplyOk(&plain, Deployment(), Apply("kubectl", kT2));
  ASSERT_EQ(one["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_EQ(one["spec"]["template"]["spec"]["containers"][0]["name"], "main");
}

TEST(ServerSideApplyTest, LiveOnlyListItemsKeepTheirPosition) {
  Object live = Deployment();
  live["spec"]["template"]["spec"]["containers"] =
      J(R"([{"name": "a", "image": "a"}, {"name": "b", "image": "b"}, {"name": "c", "image": "c"}])");
  Object applied = Deployment();
  applied["spec"]["template"]["spec"]["containers"] = J(R"([{"name": "b", "image": "b2"}])");
  auto r = ServerSideApply(&live, applied, Apply("kubectl"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Object& c = r->object["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["name"], "a");
  EXPECT_EQ(c[1]["image"], "b2");
  EXPECT_EQ(c[2]["name"], "c");
}

TEST(ServerSideApplyTest, AtomicListsAndMapsAreReplacedWhole) {
  Object live = Deployment();
  live["spec"]["template"]["spec"]["containers"][0]["args"] = J(R"(["a", "b"])");
  live["spec"]["selector"]["matchExpressions"] = J(R"([{"key": "x", "operator": "Exists"}])");
  Object applied = Deployment();
  applied["spec"]["template"]["spec"]["containers"][0]["args"] = J(R"(["c"])");
  auto r = ServerSideApply(&live, applied, Apply("kubectl"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->object["spec"]["template"]["spec"]["containers"][0]["args"].dump(), R"(["c"])");
  EXPECT_FALSE(r->object["spec"]["selector"].contains("matchExpressions"));
}

TEST(ServerSideApplyTest, FinalizersMergeAsASetPerManager) {
  Object a = ConfigMap(Object());
  a["metadata"]["finalizers"] = J(R"(["example.com/a"])");
  Object live = ApplyOk(nullptr, a, Apply("m1"));
  Object b = ConfigMap(Object());
  b["metadata"]["finalizers"] = J(R"(["example.com/b"])");
  live = ApplyOk(&live, b, Apply("m2", kT2));
  EXPECT_EQ(live["metadata"]["finalizers"].dump(), R"(["example.com/a","example.com/b"])");
  EXPECT_TRUE(Owns(live, "m1", R"({"f:metadata": {"f:finalizers": {"v:\"example.com/a\"": {}}}})"));
  live = ApplyOk(&live, ConfigMap(Object()), Apply("m1", kT3));
  EXPECT_EQ(live["metadata"]["finalizers"].dump(), R"(["example.com/b"])");
}

TEST(ServerSideApplyTest, NullInTheConfigurationDeletesTheField) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1", "b": "2"})")), Apply("kubectl-create"));
  auto r = ServerSideApply(&live, ConfigMap(J(R"({"a": null})")), Apply("other", kT2, /*force=*/true));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->object["data"].dump(), R"({"b":"2"})");
}

TEST(ServerSideApplyTest, CustomResourceMapListFromCrdSchemaMergesByKey) {
  ApplySchema crd = ApplySchema::ForCustomResource(J(R"({"type": "object", "properties": {"spec": {"type": "object",
      "properties": {"ports": {"type": "array", "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["port", "protocol"],
        "items": {"type": "object", "properties": {"protocol": {"type": "string", "default": "TCP"}}}}}}}})"));
  ApplyOptions o = Apply("m1");
  o.scope.schema = &crd;
  Object cr = J(R"({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                    "spec": {"ports": [{"port": 80}]}})");
  auto first = ServerSideApply(nullptr, cr, o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(Owns(first->object, "m1",
                   R"({"f:spec": {"f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}": {".": {}, "f:port": {}}}}})"));
  ApplyOptions o2 = o;
  o2.manager = "m2";
  Object other = cr;
  other["spec"]["ports"] = J(R"([{"port": 443}])");
  auto second = ServerSideApply(&first->object, other, o2);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->object["spec"]["ports"].dump(), R"([{"port":80},{"port":443}])");
}

TEST(ServerSideApplyTest, StatusIsNeitherChangedNorOwnedOnTheMainResource) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl"));
  live["status"] = J(R"({"replicas": 2})");
  Object applied = Deployment();
  applied["status"] = J(R"({"replicas": 9})");
  auto r = ServerSideApply(&live, applied, Apply("kubectl", kT2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->object["status"]["replicas"], 2);
  EXPECT_FALSE(Owns(r->object, "kubectl", R"({"f:status": {"f:replicas": {}}})"));
}

TEST(ServerSideApplyTest, StatusSubresourceApplyOwnsStatusInItsOwnEntry) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl"));
  ApplyOptions o = Apply("ctrl", kT2);
  o.scope.subresource = "status";
  Object applied = J(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                         "spec": {"replicas": 7}, "status": {"readyReplicas": 2}})");
  auto r = ServerSideApply(&live, applied, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->object["status"]["readyReplicas"], 2);
  EXPECT_EQ(r->object["spec"]["replicas"], 2);
  const ManagedFieldsEntry* e = Entry(r->object, "ctrl", "Apply");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->subresource, "status");
}

TEST(ServerSideApplyTest, CustomResourceListsAreAtomicAndStatusIsContentWithoutSubresource) {
  Object cr = J(R"({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                    "spec": {"items": [{"name": "a"}]}, "status": {"ok": true}})");
  ApplyOptions o = Apply("kubectl");
  o.scope.status_is_subresource = false;
  auto r = ServerSideApply(nullptr, cr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(Owns(r->object, "kubectl", R"({"f:spec": {"f:items": {}}, "f:status": {"f:ok": {}}})"));
}

TEST(ServerSideApplyTest, RejectsMissingManagerAndClientManagedFields) {
  auto no_manager = ServerSideApply(nullptr, Deployment(), ApplyOptions{});
  ASSERT_FALSE(no_manager.ok());
  EXPECT_NE(no_manager.status().message().find("fieldManager: Required value"), std::string::npos);
  Object with_mf = Deployment();
  with_mf["metadata"]["managedFields"] = J(R"([{"manager": "x"}])");
  auto r = ServerSideApply(nullptr, with_mf, Apply("kubectl"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("Deployment \"web\""), std::string::npos) << r.status().message();
}

TEST(ServerSideApplyTest, KeyedItemWithoutKeyNamesObjectAndPath) {
  Object bad = Deployment();
  bad["spec"]["template"]["spec"]["containers"][0].erase("name");
  auto r = ServerSideApply(nullptr, bad, Apply("kubectl"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Deployment \"web\""), std::string::npos);
  EXPECT_NE(r.status().message().find("containers"), std::string::npos);
}

TEST(RecordUpdateTest, CreateRecordsEveryFieldIncludingDefaults) {
  Object obj = ConfigMap(J(R"({"key": "value"})"), J(R"({"app": "web"})"));
  ASSERT_TRUE(RecordUpdate(obj, nullptr, Update("kubectl-create")).ok());
  const ManagedFieldsEntry* e = Entry(obj, "kubectl-create", "Update");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->api_version, "v1");
  EXPECT_EQ(e->time, kT1);
  EXPECT_EQ(CanonicalJson(e->fields.ToFieldsV1()),
            CanonicalJson(J(R"({"f:data": {".": {}, "f:key": {}}, "f:metadata": {"f:labels": {".": {}, "f:app": {}}}})")));

  Object d = Deployment();
  ApplyDefaults(d);
  ASSERT_TRUE(RecordUpdate(d, nullptr, Update("kubectl-create")).ok());
  EXPECT_TRUE(Owns(d, "kubectl-create", R"({"f:spec": {"f:revisionHistoryLimit": {}, "f:strategy": {"f:type": {}},
      "f:template": {"f:spec": {"f:dnsPolicy": {}, "f:securityContext": {}}}}})"));
  // Like a real apiserver: no "." for non-pointer structs and the
  // never-omitted containers list, "." for added items, omitempty lists and
  // pointer structs.
  FieldSet owned = *FieldsOwnedBy(d, "kubectl-create");
  Object fv1 = owned.ToFieldsV1();
  EXPECT_FALSE(fv1["f:spec"].contains("."));
  EXPECT_FALSE(fv1["f:spec"]["f:strategy"].contains("."));
  EXPECT_TRUE(fv1["f:spec"]["f:strategy"]["f:rollingUpdate"].contains("."));
  const Object& containers = fv1["f:spec"]["f:template"]["f:spec"]["f:containers"];
  EXPECT_FALSE(containers.contains("."));
  const Object& item = containers.at("k:{\"name\":\"main\"}");
  EXPECT_TRUE(item.contains("."));
  EXPECT_TRUE(item.at("f:ports").contains("."));
  EXPECT_EQ(item.at("f:resources"), Object::object());
  EXPECT_FALSE(fv1["f:spec"]["f:template"]["f:metadata"].contains("f:creationTimestamp"));
}

TEST(RecordUpdateTest, PatchedFieldsMoveToThePatcher) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"key": "value", "m": "0"})")), Apply("kubectl"));
  Object patched = live;
  patched["data"]["m"] = "1";
  patched["metadata"]["labels"] = J(R"({"patched": "yes"})");
  ASSERT_TRUE(RecordUpdate(patched, &live, Update("kubectl-patch", kT2)).ok());
  EXPECT_TRUE(Owns(patched, "kubectl-patch", R"({"f:data": {"f:m": {}}, "f:metadata": {"f:labels": {"f:patched": {}}}})"));
  EXPECT_FALSE(Owns(patched, "kubectl", R"({"f:data": {"f:m": {}}})"));
  EXPECT_TRUE(Owns(patched, "kubectl", R"({"f:data": {"f:key": {}}})"));
  EXPECT_EQ(Entry(patched, "kubectl", "Apply")->time, kT1);

  // Applying m again with a different value now conflicts with the patcher.
  auto r = ServerSideApply(&patched, ConfigMap(J(R"({"key": "value", "m": "0"})")), Apply("kubectl", kT3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.m");
}

TEST(RecordUpdateTest, RemovedFieldsLeaveEveryEntryAndEmptyEntriesGo) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl"));
  Object patched = live;
  patched["data"] = J(R"({"b": "2"})");
  ASSERT_TRUE(RecordUpdate(patched, &live, Update("kubectl-patch", kT2)).ok());
  EXPECT_EQ(Entry(patched, "kubectl", "Apply"), nullptr);
  EXPECT_TRUE(Owns(patched, "kubectl-patch", R"({"f:data": {"f:b": {}}})"));
}

TEST(RecordUpdateTest, UnchangedWriteKeepsTimesAndAddsNoEntry) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl"));
  Object same = live;
  same["metadata"].erase("managedFields");
  ASSERT_TRUE(RecordUpdate(same, &live, Update("kubectl-replace", kT2)).ok());
  EXPECT_EQ(Entry(same, "kubectl-replace", "Update"), nullptr);
  EXPECT_TRUE(IsNoOpWrite(live, same));
  EXPECT_EQ(same["metadata"]["managedFields"].dump(), live["metadata"]["managedFields"].dump());
}

TEST(RecordUpdateTest, ClientSideApplyToServerSideApplyMigration) {
  // kubectl apply (client-side) created it.
  Object live = Deployment();
  ApplyDefaults(live);
  ASSERT_TRUE(RecordUpdate(live, nullptr, Update("kubectl-client-side-apply")).ok());
  // kubectl apply --server-side rewrites the entry with a JSON patch...
  Object migrated = live;
  Object& entry = migrated["metadata"]["managedFields"][0];
  entry["manager"] = "kubectl";
  entry["operation"] = "Apply";
  ASSERT_TRUE(RecordUpdate(migrated, &live, Update("kubectl", kT2)).ok());
  ASSERT_NE(Entry(migrated, "kubectl", "Apply"), nullptr);
  EXPECT_EQ(Entry(migrated, "kubectl-client-side-apply", "Update"), nullptr);
  // ...and re-applies: kubectl owns the image, so a new image is no conflict.
  auto r = ServerSideApply(&migrated, Deployment("nginx:1.26"), Apply("kubectl", kT3));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST(RecordUpdateTest, SingleEmptyEntryClearsAndEmptyListKeeps) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl"));
  Object keep = live;
  keep["metadata"]["managedFields"] = Object::array();
  ASSERT_TRUE(RecordUpdate(keep, &live, Update("x", kT2)).ok());
  EXPECT_NE(Entry(keep, "kubectl", "Apply"), nullptr);

  Object clear = live;
  clear["metadata"]["managedFields"] = J("[{}]");
  ASSERT_TRUE(RecordUpdate(clear, &live, Update("x", kT2)).ok());
  EXPECT_FALSE(clear["metadata"].contains("managedFields"));

  Object garbage = live;
  garbage["metadata"]["managedFields"] = J(R"([{"manager": "m", "operation": "Bogus"}])");
  ASSERT_TRUE(RecordUpdate(garbage, &live, Update("x", kT2)).ok());
  EXPECT_NE(Entry(garbage, "kubectl", "Apply"), nullptr);
}

TEST(RecordUpdateTest, StatusWritesOwnStatusUnderTheSubresource) {
  Object live = ApplyOk(nullptr, Deployment(), Apply("kubectl"));
  Object updated = live;
  updated["status"] = J(R"({"observedGeneration": 1, "replicas": 2})");
  UpdateOptions o = Update("kube-controller-manager", kT2);
  o.scope.subresource = "status";
  ASSERT_TRUE(RecordUpdate(updated, &live, o).ok());
  auto entries = ParseManagedFields(updated);
  ASSERT_TRUE(entries.ok());
  const ManagedFieldsEntry* e = nullptr;
  for (const auto& x : *entries) {
    if (x.manager == "kube-controller-manager") e = &x;
  }
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->subresource, "status");
  EXPECT_EQ(e->ToJson()["fieldsV1"].dump(), R"({"f:status":{"f:observedGeneration":{},"f:replicas":{}}})");
}

TEST(IsNoOpWriteTest, IgnoresOnlyTimesAndResourceVersion) {
  Object a = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl", kT1));
  a["metadata"]["resourceVersion"] = "5";
  Object b = a;
  b["metadata"]["managedFields"][0]["time"] = kT3;
  b["metadata"]["resourceVersion"] = "6";
  EXPECT_TRUE(IsNoOpWrite(a, b));
  Object c = b;
  c["metadata"]["labels"] = J(R"({"x": "y"})");
  EXPECT_FALSE(IsNoOpWrite(a, c));
  Object d = b;
  d["metadata"]["managedFields"][0]["manager"] = "other";
  EXPECT_FALSE(IsNoOpWrite(a, d));
}

TEST(IsNoOpWriteTest, ReorderedEntriesFromARestampAreStillANoOp) {
  Object live = ApplyOk(nullptr, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl", kT1));
  live = ApplyOk(&live, ConfigMap(J(R"({"a": "1"})")), Apply("sharer", kT2));
  // kubectl re-applies later: its entry now sorts after sharer's.
  Object again = ApplyOk(&live, ConfigMap(J(R"({"a": "1"})")), Apply("kubectl", kT3));
  EXPECT_EQ(again["metadata"]["managedFields"][1]["manager"], "kubectl");
  EXPECT_TRUE(IsNoOpWrite(live, again));
}

}  // namespace
}  // namespace gitopsd::kubesim
