// REST basics through the HTTP interface: version, auth, discovery, CRUD,
// metadata, errors, namespaces, resourceVersion concurrency, dry run,
// pagination, CRDs.
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

TEST_F(KubesimTest, VersionReportsKubernetes132) {
  Reply r = api_->Get("/version");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["minor"], "32");
}

TEST_F(KubesimTest, WrongTokenGetsUnauthorizedStatus) {
  Reply r = api_->Call("GET", "/api/v1/namespaces", "", "", "wrong");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body["reason"], "Unauthorized");
  EXPECT_EQ(r.body["kind"], "Status");
}

TEST_F(KubesimTest, AggregatedDiscoveryListsDeploymentsWithScale) {
  Reply r = api_->Call("GET", "/apis", "", "application/json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["kind"], "APIGroupList");
  Reply core = api_->Get("/api/v1");
  bool found = false;
  for (const auto& res : core.body["resources"]) found = found || res["name"] == "namespaces";
  EXPECT_TRUE(found);
}

TEST_F(KubesimTest, CreateSetsServerMetadataAndNoGenerationForConfigMaps) {
  ASSERT_EQ(api_->Post("/api/v1/namespaces", Namespace("a")).status, 201);
  Reply r = api_->Post("/api/v1/namespaces/a/configmaps", ConfigMap("a", "c1", {{"k", "v"}}));
  ASSERT_EQ(r.status, 201) << r.raw;
  const Object& m = r.body["metadata"];
  EXPECT_EQ(m["uid"].get<std::string>().size(), 36u);
  EXPECT_TRUE(m["resourceVersion"].is_string());
  EXPECT_EQ(m["creationTimestamp"].get<std::string>().size(), 20u);
  EXPECT_FALSE(m.contains("generation"));
  EXPECT_EQ(r.body["apiVersion"], "v1");
}

TEST_F(KubesimTest, NamespaceGetsDefaultsAndDefaultObjects) {
  ASSERT_EQ(api_->Post("/api/v1/namespaces", Namespace("b")).status, 201);
  Reply ns = api_->Get("/api/v1/namespaces/b");
  EXPECT_EQ(ns.body["status"]["phase"], "Active");
  EXPECT_EQ(ns.body["metadata"]["labels"]["kubernetes.io/metadata.name"], "b");
  EXPECT_EQ(ns.body["spec"]["finalizers"], Object::array({"kubernetes"}));
  EXPECT_EQ(api_->Get("/api/v1/namespaces/b/serviceaccounts/default").status, 200);
}

TEST_F(KubesimTest, CreateInMissingNamespaceIsNotFoundForTheNamespace) {
  Reply r = api_->Post("/api/v1/namespaces/nope/configmaps", ConfigMap("nope", "c", {}));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["message"], "namespaces \"nope\" not found");
  EXPECT_EQ(r.body["details"]["kind"], "namespaces");
}

TEST_F(KubesimTest, SecondCreateIsAlreadyExists) {
  ASSERT_EQ(api_->Post("/api/v1/namespaces", Namespace("dup")).status, 201);
  Reply r = api_->Post("/api/v1/namespaces", Namespace("dup"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["reason"], "AlreadyExists");
  EXPECT_EQ(r.body["message"], "namespaces \"dup\" already exists");
}

TEST_F(KubesimTest, MissingObjectMessageUsesQualifiedResource) {
  Reply r = api_->Get("/apis/apps/v1/namespaces/default/deployments/none");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["message"], "deployments.apps \"none\" not found");
  EXPECT_EQ(r.body["details"]["group"], "apps");
}

TEST_F(KubesimTest, ResourceVersionsIncreaseAcrossKinds) {
  Reply a = api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("default", "rv1", {}));
  Reply b = api_->Post("/api/v1/namespaces/default/secrets",
                       Object{{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "s"}}}});
  ASSERT_EQ(b.status, 201) << b.raw;
  EXPECT_LT(std::stoll(a.body["metadata"]["resourceVersion"].get<std::string>()),
            std::stoll(b.body["metadata"]["resourceVersion"].get<std::string>()));
  EXPECT_EQ(b.body["type"], "Opaque");
}

TEST_F(KubesimTest, PutWithStaleResourceVersionIsConflict) {
  Reply created = api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("default", "occ", {{"a", "1"}}));
  Object stale = created.body;
  Object fresh = created.body;
  fresh["data"]["a"] = "2";
  ASSERT_EQ(api_->Put("/api/v1/namespaces/default/configmaps/occ", fresh).status, 200);
  stale["data"]["a"] = "3";
  Reply r = api_->Put("/api/v1/namespaces/default/configmaps/occ", stale);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["reason"], "Conflict");
  EXPECT_EQ(api_->Get("/api/v1/namespaces/default/configmaps/occ").body["data"]["a"], "2");
}

TEST_F(KubesimTest, NoOpUpdateKeepsResourceVersion) {
  Reply created = api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("default", "noop", {{"a", "1"}}));
  Reply again = api_->Put("/api/v1/namespaces/default/configmaps/noop", created.body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body["metadata"]["resourceVersion"], created.body["metadata"]["resourceVersion"]);
}

TEST_F(KubesimTest, DryRunCreatePersistsNothing) {
  Reply r = api_->Call("POST", "/api/v1/namespaces/default/configmaps?dryRun=All",
                       ConfigMap("default", "dry", {}).dump());
  EXPECT_EQ(r.status, 201);
  EXPECT_FALSE(r.body["metadata"].contains("resourceVersion"));
  EXPECT_EQ(api_->Get("/api/v1/namespaces/default/configmaps/dry").status, 404);
}

TEST_F(KubesimTest, BodyNamespaceMustMatchUrl) {
  Reply r = api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("other", "x", {}));
  EXPECT_EQ(r.status, 400);
}

TEST_F(KubesimTest, ListPagesWithLimitAndContinue) {
  for (int i = 0; i < 5; ++i) {
    api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("default", "page-" + std::to_string(i), {}));
  }
  std::vector<std::string> names;
  std::string cont;
  int pages = 0;
  do {
    Reply r = api_->Get("/api/v1/namespaces/default/configmaps?labelSelector=&limit=2" +
                        (cont.empty() ? "" : "&continue=" + net::QueryEscape(cont)));
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const auto& i : r.body["items"]) names.push_back(i["metadata"]["name"]);
    cont = r.body["metadata"].value("continue", "");
    ++pages;
  } while (!cont.empty() && pages < 10);
  EXPECT_EQ(pages, 3);  // 5 page-* ConfigMaps plus kube-root-ca.crt, 2 per page
  EXPECT_EQ(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("page-", 0) == 0; }), 5);
  EXPECT_EQ(names.size(), 6u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(KubesimTest, LabelAndFieldSelectorsFilterLists) {
  Object a = ConfigMap("default", "sel-a", {});
  a["metadata"]["labels"] = {{"app", "web"}};
  Object b = ConfigMap("default", "sel-b", {});
  b["metadata"]["labels"] = {{"app", "db"}};
  api_->Post("/api/v1/namespaces/default/configmaps", a);
  api_->Post("/api/v1/namespaces/default/configmaps", b);
  auto names = [&](const std::string& q) {
    std::vector<std::string> out;
    Reply r = api_->Get("/api/v1/namespaces/default/configmaps?" + q);
    for (const auto& i : r.body["items"]) out.push_back(i["metadata"]["name"]);
    return out;
  };
  EXPECT_EQ(names("labelSelector=app%3Dweb"), std::vector<std::string>{"sel-a"});
  EXPECT_EQ(names("labelSelector=app%20in%20(db,x)"), std::vector<std::string>{"sel-b"});
  EXPECT_EQ(names("fieldSelector=metadata.name%3Dsel-b"), std::vector<std::string>{"sel-b"});
  EXPECT_EQ(api_->Get("/api/v1/namespaces/default/configmaps?fieldSelector=spec.x%3Dy").status, 400);
}

TEST_F(KubesimTest, FinalizersDelayDeletionUntilRemoved) {
  Object cm = ConfigMap("default", "held", {});
  cm["metadata"]["finalizers"] = Object::array({"example.com/hold"});
  api_->Post("/api/v1/namespaces/default/configmaps", cm);
  Reply del = api_->Delete("/api/v1/namespaces/default/configmaps/held");
  EXPECT_EQ(del.status, 200);
  EXPECT_TRUE(del.body["metadata"].contains("deletionTimestamp"));
  Reply patched = api_->Patch("/api/v1/namespaces/default/configmaps/held", "application/json-patch+json",
                              Object::parse(R"([{"op":"remove","path":"/metadata/finalizers"}])"));
  EXPECT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(api_->Get("/api/v1/namespaces/default/configmaps/held").status, 404);
}

TEST_F(KubesimTest, BackgroundDeletionCollectsDependents) {
  Reply owner = api_->Post("/api/v1/namespaces/default/configmaps", ConfigMap("default", "owner", {}));
  Object dep = ConfigMap("default", "dependent", {});
  dep["metadata"]["ownerReferences"] = Object::array(
      {Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "owner"}, {"uid", owner.body["metadata"]["uid"]}}});
  api_->Post("/api/v1/namespaces/default/configmaps", dep);
  EXPECT_EQ(api_->Delete("/api/v1/namespaces/default/configmaps/owner").status, 200);
  EXPECT_TRUE(Eventually([&] { return api_->Get("/api/v1/namespaces/default/configmaps/dependent").status == 404; }));
}

TEST_F(KubesimTest, NamespaceDeletionRemovesContentThenNamespace) {
  api_->Post("/api/v1/namespaces", Namespace("gone"));
  api_->Post("/api/v1/namespaces/gone/configmaps", ConfigMap("gone", "c", {}));
  Reply del = api_->Delete("/api/v1/namespaces/gone");
  EXPECT_EQ(del.body["status"]["phase"], "Terminating");
  EXPECT_TRUE(Eventually([&] { return api_->Get("/api/v1/namespaces/gone").status == 404; }));
  EXPECT_EQ(api_->Delete("/api/v1/namespaces/default").status, 403);
}

TEST_F(KubesimTest, CrdBecomesServedAndDeletingItRemovesTheApi) {
  Object crd = Object::parse(R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
    "metadata":{"name":"widgets.example.com"},
    "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
            "versions":[{"name":"v1","served":true,"storage":true,
              "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}})");
  Reply r = api_->Post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["status"]["conditions"][1]["type"], "Established");
  Object w = Object::parse(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"n":1}})");
  Reply created = api_->Post("/apis/example.com/v1/namespaces/default/widgets", w);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["metadata"]["generation"], 1);
  Reply smp = api_->Patch("/apis/example.com/v1/namespaces/default/widgets/w", "application/strategic-merge-patch+json",
                          Object{{"spec", {{"n", 2}}}});
  EXPECT_EQ(smp.status, 415);
  Reply merge = api_->Patch("/apis/example.com/v1/namespaces/default/widgets/w", "application/merge-patch+json",
                            Object{{"spec", {{"n", 2}}}});
  EXPECT_EQ(merge.body["metadata"]["generation"], 2);
  EXPECT_EQ(api_->Delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").status, 200);
  EXPECT_EQ(api_->Get("/apis/example.com/v1/namespaces/default/widgets").status, 404);
}

TEST_F(KubesimTest, ScaleSubresourceChangesReplicas) {
  ASSERT_EQ(api_->Post("/apis/apps/v1/namespaces/default/deployments", Deployment("default", "sc", "nginx:1.25")).status, 201);
  Reply s = api_->Patch("/apis/apps/v1/namespaces/default/deployments/sc/scale", "application/merge-patch+json",
                        Object{{"spec", {{"replicas", 5}}}});
  ASSERT_EQ(s.status, 200) << s.raw;
  EXPECT_EQ(s.body["kind"], "Scale");
  EXPECT_EQ(s.body["status"]["selector"], "app=sc");
  Reply d = api_->Get("/apis/apps/v1/namespaces/default/deployments/sc");
  EXPECT_EQ(d.body["spec"]["replicas"], 5);
  EXPECT_EQ(d.body["metadata"]["generation"], 2);
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
