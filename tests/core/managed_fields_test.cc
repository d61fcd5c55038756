// Field sets of server-side apply: fieldsV1 round trips, set algebra, field
// sets of objects under the built-in and CRD schemas, comparison, removal and
// managedFields entries.
#include <gtest/gtest.h>

#include "core/managed_fields.h"
#include "core/managed_fields_entries.h"
#include "core/managed_fields_ops.h"
#include "core/managed_fields_schema.h"

namespace gitopsd {
namespace {

Object J(std::string_view text) { return Object::parse(text); }

FieldPath P(std::initializer_list<PathElement> elems) { return FieldPath(elems); }
PathElement F(std::string name) { return PathElement::Field(std::move(name)); }

FieldSet SetOf(std::string_view fields_v1) {
  auto set = FieldSet::FromFieldsV1(J(fields_v1));
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : FieldSet();
}

// The contract's (§7.5) Deployment entry, verbatim.
constexpr std::string_view kDeploymentFieldsV1 = R"({
  "f:metadata": {"f:labels": {"f:app": {}}},
  "f:spec": {"f:replicas": {}, "f:selector": {},
    "f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
      "f:spec": {"f:containers": {"k:{\"name\":\"main\"}": {
        ".": {}, "f:image": {}, "f:name": {},
        "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}}}}}}})";

constexpr std::string_view kDeployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web"}},
  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [{"name": "main", "image": "nginx:1.25",
                               "ports": [{"containerPort": 80}]}]}}}})";

TEST(PathElementTest, ParsesAndPrintsEveryKind) {
  auto f = PathElement::FromFieldsV1Key("f:spec");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->kind(), PathElement::Kind::kField);
  EXPECT_EQ(f->ToString(), ".spec");

  auto k = PathElement::FromFieldsV1Key(R"(k:{"protocol":"TCP","containerPort":80})");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->ToFieldsV1Key(), R"(k:{"containerPort":80,"protocol":"TCP"})");
  EXPECT_EQ(k->ToString(), R"([containerPort=80,protocol="TCP"])");

  auto v = PathElement::FromFieldsV1Key(R"(v:"kubernetes")");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->ToString(), R"([="kubernetes"])");

  auto i = PathElement::FromFieldsV1Key("i:3");
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(i->index(), 3);
  EXPECT_EQ(i->ToString(), "[3]");
}

TEST(PathElementTest, RejectsMalformedKeys) {
  EXPECT_FALSE(PathElement::FromFieldsV1Key("x:y").ok());
  EXPECT_FALSE(PathElement::FromFieldsV1Key("k:{not json").ok());
  EXPECT_FALSE(PathElement::FromFieldsV1Key("k:[1]").ok());
  EXPECT_FALSE(PathElement::FromFieldsV1Key("i:abc").ok());
  EXPECT_FALSE(PathElement::FromFieldsV1Key("spec").ok());
}

TEST(PathElementTest, OrdersFieldsBeforeKeysBeforeValuesBeforeIndexes) {
  PathElement f = F("z");
  PathElement k = PathElement::Key(J(R"({"name":"a"})"));
  PathElement v = PathElement::Value(J(R"("a")"));
  PathElement i = PathElement::Index(0);
  EXPECT_LT(f, k);
  EXPECT_LT(k, v);
  EXPECT_LT(v, i);
  EXPECT_LT(F("a"), F("b"));
}

TEST(FieldSetTest, FieldsV1RoundTripIsExact) {
  FieldSet set = SetOf(kDeploymentFieldsV1);
  EXPECT_EQ(CanonicalJson(set.ToFieldsV1()), CanonicalJson(J(kDeploymentFieldsV1)));
  auto again = FieldSet::FromFieldsV1(set.ToFieldsV1());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, set);
}

TEST(FieldSetTest, DotMarksAContainerThatIsItselfAMember) {
  FieldSet set = SetOf(R"({"f:metadata": {"f:labels": {".": {}, "f:app": {}}}})");
  EXPECT_TRUE(set.Has(P({F("metadata"), F("labels")})));
  EXPECT_TRUE(set.Has(P({F("metadata"), F("labels"), F("app")})));
  EXPECT_FALSE(set.Has(P({F("metadata")})));
  EXPECT_EQ(set.size(), 2u);
  // Serialization puts "." first.
  Object out = set.ToFieldsV1();
  EXPECT_EQ(out["f:metadata"]["f:labels"].begin().key(), ".");
}

TEST(FieldSetTest, SerializesChildrenInSortedOrder) {
  FieldSet set;
  set.Insert(P({F("spec"), F("replicas")}));
  set.Insert(P({F("data"), F("b")}));
  set.Insert(P({F("data"), F("a")}));
  EXPECT_EQ(set.ToFieldsV1().dump(), R"({"f:data":{"f:a":{},"f:b":{}},"f:spec":{"f:replicas":{}}})");
}

TEST(FieldSetTest, ParsesSetItemsAndIndexes) {
  FieldSet set = SetOf(R"({"f:metadata": {"f:finalizers": {".": {}, "v:\"a\"": {}}}, "f:x": {"i:0": {}}})");
  EXPECT_TRUE(set.Has(P({F("metadata"), F("finalizers"), PathElement::Value("a")})));
  EXPECT_TRUE(set.Has(P({F("x"), PathElement::Index(0)})));
}

TEST(FieldSetTest, RejectsNonObjectNodes) {
  auto set = FieldSet::FromFieldsV1(J(R"({"f:spec": 3})"));
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find(".spec"), std::string::npos) << set.status().message();
}

TEST(FieldSetTest, UnionDifferenceIntersection) {
  FieldSet a = SetOf(R"({"f:data": {"f:a": {}, "f:b": {}}})");
  FieldSet b = SetOf(R"({"f:data": {"f:b": {}, "f:c": {}}})");
  EXPECT_EQ(a.Union(b), SetOf(R"({"f:data": {"f:a": {}, "f:b": {}, "f:c": {}}})"));
  EXPECT_EQ(a.Difference(b), SetOf(R"({"f:data": {"f:a": {}}})"));
  EXPECT_EQ(a.Intersection(b), SetOf(R"({"f:data": {"f:b": {}}})"));
  EXPECT_TRUE(a.Difference(a).empty());
}

TEST(FieldSetTest, HasMemberBelowAndWithPrefix) {
  FieldSet set = SetOf(kDeploymentFieldsV1);
  FieldPath containers = P({F("spec"), F("template"), F("spec"), F("containers")});
  EXPECT_TRUE(set.HasMemberBelow(containers));
  EXPECT_FALSE(set.HasMemberBelow(P({F("spec"), F("replicas")})));
  EXPECT_EQ(set.WithPrefix(containers).size(), 5u);  // item, image, name, port item, containerPort
}

TEST(PathStringTest, RendersLikeTheApiserver) {
  FieldPath p = P({F("spec"), F("template"), F("spec"), F("containers"),
                   PathElement::Key(J(R"({"name":"main"})")), F("image")});
  EXPECT_EQ(PathString(p), R"(.spec.template.spec.containers[name="main"].image)");
  EXPECT_EQ(SchemaPath(p), "spec.template.spec.containers.image");
}

TEST(FieldsOfTest, DeploymentMatchesTheContractExample) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object obj = J(kDeployment);
  obj.erase("apiVersion");
  obj.erase("kind");
  obj["metadata"].erase("name");
  auto set = FieldsOf(obj, schema);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(CanonicalJson(set->ToFieldsV1()), CanonicalJson(J(kDeploymentFieldsV1)));
}

TEST(FieldsOfTest, ServicePortsKeyOnPortAndDefaultedProtocol) {
  ApplySchema schema = ApplySchema::ForKind("v1", "Service");
  auto set = FieldsOf(J(R"({"spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}})"), schema);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(CanonicalJson(set->ToFieldsV1()),
            CanonicalJson(J(R"({"f:spec": {"f:selector": {}, "f:ports": {"k:{\"port\":80,\"protocol\":\"TCP\"}":
                               {".": {}, "f:port": {}, "f:targetPort": {}}}}})")));
}

TEST(FieldsOfTest, AtomicListsAndFinalizerSets) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  auto set = FieldsOf(J(R"({"metadata": {"finalizers": ["a", "b"]},
      "spec": {"template": {"spec": {"containers": [{"name": "c", "args": ["x", "y"]}],
                                     "tolerations": [{"key": "k"}], "nodeSelector": {"disk": "ssd"}}}}})"),
                      schema);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  FieldPath pod = P({F("spec"), F("template"), F("spec")});
  FieldPath args = pod;
  args.push_back(F("containers"));
  args.push_back(PathElement::Key(J(R"({"name":"c"})")));
  args.push_back(F("args"));
  EXPECT_TRUE(set->Has(args));
  EXPECT_FALSE(set->HasMemberBelow(args));
  FieldPath tolerations = pod;
  tolerations.push_back(F("tolerations"));
  EXPECT_TRUE(set->Has(tolerations));
  FieldPath node_selector = pod;
  node_selector.push_back(F("nodeSelector"));
  EXPECT_TRUE(set->Has(node_selector));
  EXPECT_FALSE(set->HasMemberBelow(node_selector));
  EXPECT_TRUE(set->Has(P({F("metadata"), F("finalizers"), PathElement::Value("a")})));
}

TEST(FieldsOfTest, CustomResourceListsAreAtomicUnlessTheSchemaSaysOtherwise) {
  Object cr = J(R"({"spec": {"items": [{"name": "a", "v": 1}], "tags": ["x"], "size": 3}})");
  auto plain = FieldsOf(cr, ApplySchema::ForKind("example.com/v1", "Widget"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(CanonicalJson(plain->ToFieldsV1()),
            CanonicalJson(J(R"({"f:spec": {"f:items": {}, "f:tags": {}, "f:size": {}}})")));

  ApplySchema crd = ApplySchema::ForCustomResource(J(R"({"type": "object", "properties": {"spec": {
      "type": "object", "properties": {
        "items": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object"}},
        "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}}}}})"));
  auto typed = FieldsOf(cr, crd);
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(CanonicalJson(typed->ToFieldsV1()),
            CanonicalJson(J(R"({"f:spec": {"f:items": {"k:{\"name\":\"a\"}": {".": {}, "f:name": {}, "f:v": {}}},
                                 "f:tags": {"v:\"x\"": {}}, "f:size": {}}})")));
}

TEST(FieldsOfTest, AssociativeItemWithoutItsKeyIsAnError) {
  auto set = FieldsOf(J(R"({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})"),
                      ApplySchema::ForKind("apps/v1", "Deployment"));
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("\"name\""), std::string::npos) << set.status().message();
  EXPECT_NE(set.status().message().find(".spec.template.spec.containers"), std::string::npos);
}

TEST(FieldsOfTest, DuplicateKeysAreAnError) {
  auto set = FieldsOf(J(R"({"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "a"}]}}}})"),
                      ApplySchema::ForKind("apps/v1", "Deployment"));
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("duplicate"), std::string::npos);
}

TEST(CompareObjectsTest, ReportsAddedRemovedModifiedLeaves) {
  ApplySchema schema = ApplySchema::ForKind("v1", "ConfigMap");
  Object before = J(R"({"data": {"a": "1", "b": "2"}})");
  Object after = J(R"({"data": {"a": "1", "b": "3", "c": "4"}})");
  FieldChanges c = CompareObjects(&before, after, schema);
  EXPECT_EQ(c.added, SetOf(R"({"f:data": {"f:c": {}}})"));
  EXPECT_EQ(c.modified, SetOf(R"({"f:data": {"f:b": {}}})"));
  EXPECT_TRUE(c.removed.empty());
  FieldChanges back = CompareObjects(&after, before, schema);
  EXPECT_EQ(back.removed, SetOf(R"({"f:data": {"f:c": {}}})"));
}

TEST(CompareObjectsTest, AddedContainersAreMembersWithTheirLeaves) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object before = J(R"({"metadata": {}, "spec": {}})");
  Object after = J(R"({"metadata": {"labels": {"app": "web"}},
                       "spec": {"template": {"spec": {"containers": [{"name": "m", "image": "i"}],
                                                      "securityContext": {}}}}})");
  FieldChanges c = CompareObjects(&before, after, schema);
  EXPECT_EQ(CanonicalJson(c.added.ToFieldsV1()), CanonicalJson(J(R"({
      "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
      "f:spec": {"f:template": {".": {}, "f:spec": {".": {}, "f:securityContext": {},
        "f:containers": {".": {}, "k:{\"name\":\"m\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}})")));
}

TEST(CompareObjectsTest, ReorderedKeyedListIsNotAChangeButAtomicListIs) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object before = J(R"({"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b"}],
                                                       "tolerations": [{"key": "x"}, {"key": "y"}]}}}})");
  Object after = J(R"({"spec": {"template": {"spec": {"containers": [{"name": "b"}, {"name": "a"}],
                                                      "tolerations": [{"key": "y"}, {"key": "x"}]}}}})");
  FieldChanges c = CompareObjects(&before, after, schema);
  EXPECT_TRUE(c.added.empty());
  EXPECT_TRUE(c.removed.empty());
  EXPECT_EQ(c.modified, SetOf(R"({"f:spec": {"f:template": {"f:spec": {"f:tolerations": {}}}}})"));
}

TEST(CompareObjectsTest, IdenticalObjectsHaveNoChangesRegardlessOfKeyOrder) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object a = J(kDeployment);
  Object b = J(R"({"kind": "Deployment", "apiVersion": "apps/v1",
    "spec": {"selector": {"matchLabels": {"app": "web"}}, "replicas": 2,
      "template": {"spec": {"containers": [{"ports": [{"containerPort": 80}], "image": "nginx:1.25", "name": "main"}]},
                   "metadata": {"labels": {"app": "web"}}}},
    "metadata": {"labels": {"app": "web"}, "name": "web"}})");
  FieldChanges c = CompareObjects(&a, b, schema);
  EXPECT_TRUE(c.added.empty() && c.removed.empty() && c.modified.empty());
  EXPECT_TRUE(ValuesEqual(a, b));
}

TEST(FindFieldTest, FollowsKeysWithDefaults) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object obj = J(kDeployment);
  FieldSet set = SetOf(kDeploymentFieldsV1);
  FieldPath port;
  for (const FieldPath& p : set) {
    if (p.size() == 7 && p.back().kind() == PathElement::Kind::kKey) port = p;
  }
  ASSERT_EQ(port.size(), 7u);
  const Object* v = FindField(obj, port, schema);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ((*v)["containerPort"], 80);
  EXPECT_EQ(FindField(obj, P({F("spec"), F("nope")}), schema), nullptr);
}

TEST(EraseFieldTest, RemovesNodeAndContainersLeftEmpty) {
  ApplySchema schema = ApplySchema::ForKind("v1", "ConfigMap");
  Object obj = J(R"({"metadata": {"name": "x", "labels": {"tier": "a"}}, "data": {"k": "v", "d": "w"}})");
  EXPECT_TRUE(EraseField(obj, P({F("metadata"), F("labels"), F("tier")}), schema));
  EXPECT_TRUE(EraseField(obj, P({F("data"), F("d")}), schema));
  EXPECT_FALSE(EraseField(obj, P({F("data"), F("absent")}), schema));
  EXPECT_EQ(CanonicalJson(obj), CanonicalJson(J(R"({"metadata": {"name": "x"}, "data": {"k": "v"}})")));
}

TEST(RemoveFieldsTest, RemovesLeavesButKeepsItemsWithOtherContent) {
  ApplySchema schema = ApplySchema::ForKind("apps/v1", "Deployment");
  Object obj = J(kDeployment);
  FieldSet owned = SetOf(R"({"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
      "k:{\"name\":\"main\"}": {".": {}, "f:image": {}}}}}}})");
  RemoveFields(obj, owned, schema);
  EXPECT_FALSE(obj["spec"].contains("replicas"));
  const Object& c = obj["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(c["name"], "main");
  EXPECT_FALSE(c.contains("image"));
}

TEST(ManagedFieldsEntryTest, RoundTripsInApiserverFieldOrder) {
  Object json = J(R"({"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
      "time": "2025-05-15T20:09:34Z", "fieldsType": "FieldsV1",
      "fieldsV1": {"f:status": {"f:replicas": {}}}, "subresource": "status"})");
  auto e = ManagedFieldsEntry::FromJson(json);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->subresource, "status");
  EXPECT_EQ(e->ToJson().dump(), json.dump());
  EXPECT_EQ(e->DisplayName(), R"("kube-controller-manager" with subresource "status" using apps/v1)");
}

TEST(ManagedFieldsEntryTest, DisplayNameOfApplyOmitsVersion) {
  ManagedFieldsEntry e{"kubectl", "Apply", "apps/v1", "", "", {}};
  EXPECT_EQ(e.DisplayName(), R"("kubectl")");
  e.operation = "Update";
  e.manager = "kubectl-client-side-apply";
  EXPECT_EQ(e.DisplayName(), R"("kubectl-client-side-apply" using apps/v1)");
}

TEST(ManagedFieldsEntryTest, RejectsUnknownOperationNamingTheManager) {
  auto e = ManagedFieldsEntry::FromJson(J(R"({"manager": "m", "operation": "Patch", "fieldsV1": {}})"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("\"m\""), std::string::npos);
}

TEST(WriteManagedFieldsTest, SortsDropsEmptyAndRemovesKeyWhenNothingLeft) {
  Object obj = J(R"({"metadata": {"name": "x"}})");
  ManagedFieldsEntry update{"b-upd", "Update", "v1", "2025-01-01T00:00:02Z", "", SetOf(R"({"f:data": {"f:a": {}}})")};
  ManagedFieldsEntry apply{"z-apply", "Apply", "v1", "2025-01-01T00:00:09Z", "", SetOf(R"({"f:data": {"f:b": {}}})")};
  ManagedFieldsEntry empty{"empty", "Apply", "v1", "", "", {}};
  WriteManagedFields(obj, {update, apply, empty});
  ASSERT_EQ(obj["metadata"]["managedFields"].size(), 2u);
  EXPECT_EQ(obj["metadata"]["managedFields"][0]["manager"], "z-apply");
  EXPECT_EQ(obj["metadata"]["managedFields"][1]["manager"], "b-upd");
  auto parsed = ParseManagedFields(obj);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 2u);
  WriteManagedFields(obj, {empty});
  EXPECT_FALSE(obj["metadata"].contains("managedFields"));
}

TEST(FieldsOwnedByTest, UnionsEveryEntryOfTheManager) {
  Object obj = J(R"({"metadata": {"managedFields": [
      {"manager": "hpa", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:spec": {"f:replicas": {}}}},
      {"manager": "hpa", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:metadata": {"f:labels": {"f:x": {}}}}},
      {"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:spec": {"f:paused": {}}}}]},
    "spec": {"replicas": 5, "paused": false}})");
  auto owned = FieldsOwnedBy(obj, "hpa");
  ASSERT_TRUE(owned.ok());
  EXPECT_EQ(*owned, SetOf(R"({"f:spec": {"f:replicas": {}}, "f:metadata": {"f:labels": {"f:x": {}}}})"));
  auto stripped = WithoutFieldsOwnedBy(obj, "hpa", ApplySchema::ForKind("apps/v1", "Deployment"));
  ASSERT_TRUE(stripped.ok());
  EXPECT_FALSE((*stripped)["spec"].contains("replicas"));
  EXPECT_EQ((*stripped)["spec"]["paused"], false);
}

}  // namespace
}  // namespace gitopsd
