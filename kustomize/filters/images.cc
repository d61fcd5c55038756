// images: rewrites container image names, tags and digests.
//
// Kustomize runs one transformer per `images:` entry, each visiting every
// resource; with hundreds of entries that dominates a large render. Here all
// entries are applied in one pass: each image string found (any
// `containers`/`initContainers` list, plus the configured field specs) goes
// through the entries in order, and entries are indexed by name so a string
// is compared only with the entries that can match it. The result is the
// same as applying the entries one after another.
#include <regex>
#include <unordered_map>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

struct SplitImage {
  std::string name, tag, digest;
};

// Kustomize's image.Split: name[:tag][@digest], a ':' in the registry host
// (before the first '/') not counting.
SplitImage Split(const std::string& image) {
  size_t slash = image.find('/');
  size_t from = (slash != std::string::npos && slash > 0) ? slash : 0;
  size_t at = image.find('@', from);
  size_t colon = image.find(':', from);
  SplitImage s;
  if (at == std::string::npos && colon == std::string::npos) {
    s.name = image;
  } else if (at != std::string::npos && (colon == std::string::npos || at < colon)) {
    s.name = image.substr(0, at);
    s.digest = image.substr(at + 1);
  } else if (at != std::string::npos) {
    s.name = image.substr(0, colon);
    s.tag = image.substr(colon + 1, at - colon - 1);
    s.digest = image.substr(at + 1);
  } else {
    s.name = image.substr(0, colon);
    s.tag = image.substr(colon + 1);
  }
  return s;
}

bool TagChars(const std::string& s) {
  for (char c : s) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '{' && c != '}' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// Regex syntax other than '.', which is common in registry hosts and is
// matched as a one-character wildcard without a regex engine.
bool HasRegexMeta(const std::string& s) {
  return s.find_first_of("\\^$|?*+()[]{}") != std::string::npos;
}

bool WildcardEquals(const std::string& pattern, const std::string& name) {
  if (pattern.size() != name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (pattern[i] != '.' && pattern[i] != name[i]) return false;
  }
  return true;
}

struct Entry {
  ImageArgs args;
  std::optional<std::regex> pattern;  // only for names with regex syntax
};

class ImageTransformer : public Transformer {
 public:
  ImageTransformer(std::vector<Entry> entries, FieldSpecs specs)
      : entries_(std::move(entries)), specs_(std::move(specs)) {
    for (size_t i = 0; i < entries_.size(); ++i) {
      const std::string& name = entries_[i].args.name;
      if (entries_[i].pattern) {
        regex_entries_.push_back(i);
      } else if (name.find('.') != std::string::npos) {
        by_length_[name.size()].push_back(i);
      } else {
        by_name_[name].push_back(i);
      }
    }
  }

  Status Apply(ResourceList& list) const override {
    if (entries_.empty()) return Status::Ok();
    for (Resource& r : list) {
      if (!r.obj.is_object() || r.Kind() == "CustomResourceDefinition") continue;
      std::vector<Object*> nodes;
      CollectLegacy(r.obj, nodes);
      ResId id = r.CurId();
      auto collect = [&nodes](Object& n) -> Status {
        if (!n.is_string() && !n.is_null()) return InvalidArgument("image field must be a scalar");
        for (Object* have : nodes) {
          if (have == &n) return Status::Ok();
        }
        nodes.push_back(&n);
        return Status::Ok();
      };
      RETURN_IF_ERROR(ApplyFieldSpecs(r.obj, id, specs_, LeafKind::kNone, collect));
      for (Object* n : nodes) {
        if (n->is_string()) *n = Rewrite(n->get<std::string>());
      }
    }
    return Status::Ok();
  }

 private:
  static void CollectLegacy(Object& node, std::vector<Object*>& out) {
    if (node.is_array()) {
      for (Object& el : node) CollectLegacy(el, out);
      return;
    }
    if (!node.is_object()) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      CollectLegacy(it.value(), out);
      if ((it.key() == "containers" || it.key() == "initContainers") && it->is_array()) {
        for (Object& c : it.value()) {
          if (!c.is_object()) continue;
          auto img = c.find("image");
          if (img != c.end() && img->is_string()) out.push_back(&img.value());
        }
      }
    }
  }

  bool Matches(const Entry& e, const std::string& value, const SplitImage& s) const {
    if (e.pattern) return std::regex_match(value, *e.pattern);
    return WildcardEquals(e.args.name, s.name) && TagChars(s.tag) &&
           (s.digest.empty() || (s.digest.rfind("sha256:", 0) == 0 && TagChars(s.digest.substr(7))));
  }

  // The first entry at index >= from that matches value, or npos.
  size_t NextMatch(const std::string& value, size_t from) const {
    SplitImage s = Split(value);
    size_t best = std::string::npos;
    auto it = by_name_.find(s.name);
    if (it != by_name_.end()) {
      for (size_t i : it->second) {
        if (i >= from && Matches(entries_[i], value, s)) {
          best = i;
          break;
        }
      }
    }
    auto len = by_length_.find(s.name.size());
    if (len != by_length_.end()) {
      for (size_t i : len->second) {
        if (i >= from && i < best && Matches(entries_[i], value, s)) {
          best = i;
          break;
        }
      }
    }
    for (size_t i : regex_entries_) {
      if (i >= from && i < best && Matches(entries_[i], value, s)) {
        best = i;
        break;
      }
    }
    return best;
  }

  std::string Rewrite(std::string value) const {
    for (size_t i = NextMatch(value, 0); i != std::string::npos; i = NextMatch(value, i + 1)) {
      value = ApplyEntry(entries_[i].args, value);
    }
    return value;
  }

  static std::string ApplyEntry(const ImageArgs& a, const std::string& value) {
    SplitImage s = Split(value);
    if (!a.new_name.empty()) s.name = a.new_name;
    if (!a.new_tag.empty() && !a.digest.empty()) {
      s.tag = a.new_tag;
      s.digest = a.digest;
    } else if (!a.new_tag.empty()) {
      s.tag = a.new_tag;
      s.digest.clear();
    } else if (!a.digest.empty()) {
      s.tag.clear();
      s.digest = a.digest;
    } else if (!a.tag_suffix.empty()) {
      s.tag += a.tag_suffix;
      s.digest.clear();
    }
    std::string out = s.name;
    if (!s.tag.empty()) out += ":" + s.tag;
    if (!s.digest.empty()) out += "@" + s.digest;
    return out;
  }

  std::vector<Entry> entries_;
  FieldSpecs specs_;
  std::unordered_map<std::string, std::vector<size_t>> by_name_;
  std::unordered_map<size_t, std::vector<size_t>> by_length_;
  std::vector<size_t> regex_entries_;
};

}  // namespace

Result<ImageArgs> ParseImageArgs(const Object& raw, const std::string& what) {
  if (!raw.is_object()) return InvalidArgument(what + ": an image entry must be a mapping");
  Object v = FoldKeys(raw, {"name", "newName", "newTag", "digest", "tagSuffix"});
  ImageArgs a;
  for (auto it = v.begin(); it != v.end(); ++it) {
    std::string* dst = nullptr;
    if (it.key() == "name") dst = &a.name;
    else if (it.key() == "newName") dst = &a.new_name;
    else if (it.key() == "newTag") dst = &a.new_tag;
    else if (it.key() == "digest") dst = &a.digest;
    else if (it.key() == "tagSuffix") dst = &a.tag_suffix;
    else return InvalidArgument(what + ": unknown field \"" + it.key() + "\"");
    if (it->is_null()) continue;
    if (!it->is_string()) {
      return InvalidArgument(what + ": field \"" + it.key() + "\" must be a string");
    }
    *dst = it->get<std::string>();
  }
  a.has_new_tag = !a.new_tag.empty();
  return a;
}

Result<TransformerPtr> MakeImageTransformer(std::vector<ImageArgs> images, FieldSpecs specs) {
  std::vector<Entry> entries;
  for (ImageArgs& a : images) {
    Entry e;
    if (HasRegexMeta(a.name)) {
      try {
        e.pattern.emplace("^" + a.name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$",
                          std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return InvalidArgument("image name \"" + a.name + "\" is not a valid regular expression");
      }
    }
    e.args = std::move(a);
    entries.push_back(std::move(e));
  }
  return TransformerPtr(new ImageTransformer(std::move(entries), std::move(specs)));
}

}  // namespace gitopsd::kustomize
