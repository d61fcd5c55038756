#include "kustomize/fieldspec.h"

namespace gitopsd::kustomize {
namespace {

struct Walker {
  const std::vector<std::string>& segs;
  bool create;
  LeafKind leaf;
  const std::function<Status(Object&)>& set;

  Status Walk(Object& node, size_t i) const {
    if (i == segs.size()) return set(node);
    if (node.is_null()) return Status::Ok();
    if (node.is_array()) {
      for (Object& el : node) RETURN_IF_ERROR(Walk(el, i));
      return Status::Ok();
    }
    if (!node.is_object()) {
      return InvalidArgument("expected sequence or mapping node at \"" + segs[i] + "\"");
    }
    std::string name = segs[i];
    bool is_seq = name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0;
    if (is_seq) name.resize(name.size() - 2);
    bool last = i + 1 == segs.size();
    bool may_create = create && leaf != LeafKind::kNone && !is_seq;
    auto it = node.find(name);
    if (it == node.end()) {
      if (!may_create) return Status::Ok();
      Object fresh = (!last || leaf == LeafKind::kMap) ? Object::object() : Object("");
      it = node.emplace(name, std::move(fresh)).first;
    }
    Object& field = it.value();
    if (field.is_null()) {
      if (is_seq) {
        field = Object::array();
      } else if (may_create) {
        field = (!last || leaf == LeafKind::kMap) ? Object::object() : Object(nullptr);
      }
    }
    return Walk(field, i + 1);
  }
};

std::string StringField(const Object& m, const char* key) {
  auto it = m.find(key);
  return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::vector<std::string> FieldSpec::Segments() const {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '\\' && i + 1 < path.size() && path[i + 1] == '/') {
      cur.push_back('/');
      ++i;
    } else if (path[i] == '/') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(path[i]);
    }
  }
  out.push_back(std::move(cur));
  return out;
}

Result<FieldSpecs> ParseFieldSpecs(const Object& list, std::string_view what) {
  FieldSpecs out;
  if (list.is_null()) return out;
  if (!list.is_array()) return InvalidArgument(std::string(what) + ": expected a list of field specs");
  for (const Object& item : list) {
    if (!item.is_object()) return InvalidArgument(std::string(what) + ": a field spec must be a mapping");
    FieldSpec fs;
    fs.path = StringField(item, "path");
    fs.gvk.group = StringField(item, "group");
    fs.gvk.version = StringField(item, "version");
    fs.gvk.kind = StringField(item, "kind");
    auto c = item.find("create");
    fs.create = c != item.end() && c->is_boolean() && c->get<bool>();
    out.push_back(std::move(fs));
  }
  return out;
}

Status MergeFieldSpecs(FieldSpecs& into, const FieldSpecs& more) {
  for (const FieldSpec& fs : more) {
    bool dup = false;
    for (const FieldSpec& have : into) {
      if (have == fs) {
        if (have.create != fs.create) {
          return InvalidArgument("conflicting fieldspecs for path \"" + fs.path + "\"");
        }
        dup = true;
        break;
      }
    }
    if (!dup) into.push_back(fs);
  }
  return Status::Ok();
}

Status ApplyFieldSpec(Object& obj, const FieldSpec& spec, LeafKind leaf,
                      const std::function<Status(Object&)>& set) {
  std::vector<std::string> segs = spec.Segments();
  Walker w{segs, spec.create, leaf, set};
  Status st = w.Walk(obj, 0);
  if (!st.ok()) return st.WithContext("fieldspec path \"" + spec.path + "\"");
  return st;
}

Status ApplyFieldSpecs(Object& obj, const ResId& id, const FieldSpecs& specs, LeafKind leaf,
                       const std::function<Status(Object&)>& set) {
  for (const FieldSpec& fs : specs) {
    if (!fs.gvk.Selects(id)) continue;
    RETURN_IF_ERROR(ApplyFieldSpec(obj, fs, leaf, set));
  }
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
