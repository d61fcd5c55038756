// The content-hash name suffix of generated ConfigMaps and Secrets, exactly
// as Kustomize v5.5.0 computes it: SHA-256 of a Go-encoding/json document,
// first 10 hex digits, with 0 1 3 a e mapped to g h k m t.
#include <openssl/sha.h>

#include <map>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

// A JSON string the way Go's encoding/json writes it (HTML-safe escaping).
void GoJsonString(std::string_view s, std::string& out) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '<': case '>': case '&':
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void GoJson(const Object& v, std::string& out) {
  if (v.is_object()) {
    std::map<std::string, const Object*> sorted;
    for (auto it = v.begin(); it != v.end(); ++it) sorted.emplace(it.key(), &it.value());
    out.push_back('{');
    bool first = true;
    for (const auto& [k, child] : sorted) {
      if (!first) out.push_back(',');
      first = false;
      GoJsonString(k, out);
      out.push_back(':');
      GoJson(*child, out);
    }
    out.push_back('}');
  } else if (v.is_array()) {
    out.push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out.push_back(',');
      GoJson(v[i], out);
    }
    out.push_back(']');
  } else if (v.is_string()) {
    GoJsonString(v.get_ref<const std::string&>(), out);
  } else {
    out += v.dump();
  }
}

// Kustomize's getNodeValues: a missing field is "", a mapping stays a
// mapping, a scalar becomes its text.
Object NodeValue(const Object& obj, const char* field) {
  auto it = obj.find(field);
  if (it == obj.end()) return "";
  if (it->is_object() || it->is_array()) return *it;
  if (it->is_string()) return *it;
  if (it->is_null()) return "null";
  return it->dump();
}

std::string Encode(const std::string& hex) {
  std::string enc = hex.substr(0, 10);
  for (char& c : enc) {
    switch (c) {
      case '0': c = 'g'; break;
      case '1': c = 'h'; break;
      case '3': c = 'k'; break;
      case 'a': c = 'm'; break;
      case 'e': c = 't'; break;
      default: break;
    }
  }
  return enc;
}

}  // namespace

std::string ContentHash(const Object& obj) {
  std::string kind = KindOf(obj);
  Object m = Object::object();
  if (kind == "ConfigMap" || kind == "Secret") {
    m["kind"] = kind;
    m["name"] = "";  // Kustomize v5.5.0 looks the name up under a wrong path
    m["data"] = NodeValue(obj, "data");
    const char* extra = kind == "ConfigMap" ? "binaryData" : "stringData";
    auto it = obj.find(extra);
    if (it != obj.end() && it->is_object()) m[extra] = *it;
    if (kind == "Secret") m["type"] = NodeValue(obj, "type");
  } else {
    m = obj;
  }
  std::string encoded;
  GoJson(m, encoded);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xF]);
  }
  return Encode(hex);
}

Status AddHashSuffixes(ResourceList& list) {
  for (Resource& r : list) {
    if (!r.needs_hash) continue;
    r.StorePreviousId();
    r.SetName(r.Name() + "-" + ContentHash(r.obj));
    r.needs_hash = false;
  }
  return Status::Ok();
}

}  // namespace gitopsd::kustomize
