#include "core/managed_fields.h"

#include <algorithm>
#include <map>

namespace gitopsd {
namespace {

std::string ValueText(const Object& v) { return CanonicalJson(v); }

Status BadKey(std::string_view key, std::string_view why) {
  return InvalidArgument("fieldsV1: path element \"" + std::string(key) + "\": " + std::string(why));
}

Status ParseNode(const Object& node, FieldPath& path, FieldSet& out) {
  if (!node.is_object()) {
    return InvalidArgument("fieldsV1: value at \"" + PathString(path) + "\" is not an object");
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key() == ".") {
      if (!path.empty()) out.Insert(path);
      continue;
    }
    ASSIGN_OR_RETURN(PathElement pe, PathElement::FromFieldsV1Key(it.key()));
    path.push_back(std::move(pe));
    if (it.value().is_object() && it.value().empty()) {
      out.Insert(path);
    } else {
      RETURN_IF_ERROR(ParseNode(it.value(), path, out));
    }
    path.pop_back();
  }
  return Status::Ok();
}

}  // namespace

PathElement PathElement::Field(std::string name) {
  PathElement pe;
  pe.kind_ = Kind::kField;
  pe.text_ = std::move(name);
  return pe;
}

PathElement PathElement::Key(const Object& key_fields) {
  PathElement pe;
  pe.kind_ = Kind::kKey;
  pe.value_ = key_fields;
  pe.text_ = ValueText(key_fields);
  return pe;
}

PathElement PathElement::Value(const Object& value) {
  PathElement pe;
  pe.kind_ = Kind::kValue;
  pe.value_ = value;
  pe.text_ = ValueText(value);
  return pe;
}

PathElement PathElement::Index(int64_t index) {
  PathElement pe;
  pe.kind_ = Kind::kIndex;
  pe.index_ = index;
  pe.text_ = std::to_string(index);
  return pe;
}

Result<PathElement> PathElement::FromFieldsV1Key(std::string_view key) {
  if (key.size() < 2 || key[1] != ':') return BadKey(key, "want f:, k:, v: or i: prefix");
  std::string_view rest = key.substr(2);
  switch (key[0]) {
    case 'f':
      return Field(std::string(rest));
    case 'k':
    case 'v': {
      Object parsed = Object::parse(rest, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) return BadKey(key, "invalid JSON");
      if (key[0] == 'k') {
        if (!parsed.is_object()) return BadKey(key, "key is not a JSON object");
        return Key(parsed);
      }
      return Value(parsed);
    }
    case 'i': {
      if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return BadKey(key, "index is not a number");
      }
      return Index(std::stoll(std::string(rest)));
    }
    default:
      return BadKey(key, "want f:, k:, v: or i: prefix");
  }
}

std::string PathElement::ToFieldsV1Key() const {
  switch (kind_) {
    case Kind::kField: return "f:" + text_;
    case Kind::kKey: return "k:" + text_;
    case Kind::kValue: return "v:" + text_;
    case Kind::kIndex: return "i:" + text_;
  }
  return text_;
}

std::string PathElement::ToString() const {
  switch (kind_) {
    case Kind::kField:
      return "." + text_;
    case Kind::kKey: {
      std::map<std::string, const Object*> sorted;
      for (auto it = value_.begin(); it != value_.end(); ++it) sorted.emplace(it.key(), &it.value());
      std::string out = "[";
      bool first = true;
      for (const auto& [name, v] : sorted) {
        if (!first) out += ",";
        first = false;
        out += name + "=" + ValueText(*v);
      }
      return out + "]";
    }
    case Kind::kValue:
      return "[=" + text_ + "]";
    case Kind::kIndex:
      return "[" + text_ + "]";
  }
  return text_;
}

std::strong_ordering PathElement::operator<=>(const PathElement& other) const {
  if (kind_ != other.kind_) return static_cast<int>(kind_) <=> static_cast<int>(other.kind_);
  if (kind_ == Kind::kIndex) return index_ <=> other.index_;
  int c = text_.compare(other.text_);
  return c < 0 ? std::strong_ordering::less
               : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

std::string PathString(const FieldPath& path) {
  std::string out;
  for (const PathElement& pe : path) out += pe.ToString();
  return out;
}

std::string SchemaPath(const FieldPath& path) {
  std::string out;
  for (const PathElement& pe : path) {
    if (pe.kind() != PathElement::Kind::kField) continue;
    if (!out.empty()) out += '.';
    out += pe.field();
  }
  return out;
}

bool FieldSet::HasMemberBelow(const FieldPath& prefix) const {
  auto it = paths_.upper_bound(prefix);
  if (it == paths_.end()) return false;
  return it->size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), it->begin());
}

FieldSet FieldSet::Union(const FieldSet& other) const {
  FieldSet out = *this;
  out.paths_.insert(other.paths_.begin(), other.paths_.end());
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  std::set_difference(paths_.begin(), paths_.end(), other.paths_.begin(), other.paths_.end(),
                      std::inserter(out.paths_, out.paths_.end()));
  return out;
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  std::set_intersection(paths_.begin(), paths_.end(), other.paths_.begin(), other.paths_.end(),
                        std::inserter(out.paths_, out.paths_.end()));
  return out;
}

FieldSet FieldSet::WithPrefix(const FieldPath& prefix) const {
  FieldSet out;
  for (auto it = paths_.lower_bound(prefix); it != paths_.end(); ++it) {
    if (it->size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), it->begin())) break;
    out.paths_.insert(*it);
  }
  return out;
}

Object FieldSet::ToFieldsV1() const {
  // Paths arrive sorted, so a member always precedes the members below it:
  // an empty node met on the way down is a member and gets its "." first.
  Object root = Object::object();
  for (const FieldPath& path : paths_) {
    Object* node = &root;
    for (size_t i = 0; i < path.size(); ++i) {
      std::string key = path[i].ToFieldsV1Key();
      auto it = node->find(key);
      bool last = i + 1 == path.size();
      if (it == node->end()) {
        (*node)[key] = Object::object();
        node = &(*node)[key];
        continue;
      }
      node = &*it;
      if (!last && node->empty()) (*node)["."] = Object::object();
    }
  }
  return root;
}

Result<FieldSet> FieldSet::FromFieldsV1(const Object& fields_v1) {
  FieldSet out;
  FieldPath path;
  if (fields_v1.is_null()) return out;
  RETURN_IF_ERROR(ParseNode(fields_v1, path, out));
  return out;
}

}  // namespace gitopsd
