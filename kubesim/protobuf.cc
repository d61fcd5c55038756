#include "kubesim/protobuf.h"

#include <openssl/evp.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace gitopsd::kubesim {
namespace {

struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t varint = 0;
  std::string_view bytes;
};

bool ReadVarint(std::string_view& in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

// Splits a message into fields; false on malformed input.
bool Parse(std::string_view in, std::vector<Field>* out) {
  while (!in.empty()) {
    uint64_t tag = 0;
    if (!ReadVarint(in, &tag)) return false;
    Field f;
    f.number = static_cast<uint32_t>(tag >> 3);
    f.wire = static_cast<uint32_t>(tag & 7);
    if (f.wire == 0) {
      if (!ReadVarint(in, &f.varint)) return false;
    } else if (f.wire == 2) {
      uint64_t len = 0;
      if (!ReadVarint(in, &len) || len > in.size()) return false;
      f.bytes = in.substr(0, len);
      in.remove_prefix(len);
    } else if (f.wire == 1) {
      if (in.size() < 8) return false;
      in.remove_prefix(8);
    } else if (f.wire == 5) {
      if (in.size() < 4) return false;
      in.remove_prefix(4);
    } else {
      return false;
    }
    out->push_back(f);
  }
  return true;
}

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool MapEntry(std::string_view msg, std::string* k, std::string* v) {
  std::vector<Field> fs;
  if (!Parse(msg, &fs)) return false;
  for (const auto& f : fs) {
    if (f.number == 1) *k = std::string(f.bytes);
    if (f.number == 2) *v = std::string(f.bytes);
  }
  return true;
}

bool Meta(std::string_view msg, Object* meta) {
  std::vector<Field> fs;
  if (!Parse(msg, &fs)) return false;
  for (const auto& f : fs) {
    if (f.wire != 2) continue;
    std::string s(f.bytes);
    if (f.number == 1 && !s.empty()) (*meta)["name"] = s;
    if (f.number == 2 && !s.empty()) (*meta)["generateName"] = s;
    if (f.number == 3 && !s.empty()) (*meta)["namespace"] = s;
    if (f.number == 11 || f.number == 12) {
      std::string k, v;
      if (!MapEntry(f.bytes, &k, &v)) return false;
      (*meta)[f.number == 11 ? "labels" : "annotations"][k] = v;
    }
    if (f.number == 14) (*meta)["finalizers"].push_back(s);
  }
  return true;
}

}  // namespace

std::optional<ApiError> DecodeProtobuf(const std::string& body, Object* out) {
  ApiError bad = BadRequest("the protobuf request body could not be decoded");
  if (body.size() < 4 || body.compare(0, 4, std::string("k8s\0", 4)) != 0) return bad;
  std::vector<Field> unknown;
  if (!Parse(std::string_view(body).substr(4), &unknown)) return bad;
  std::string api_version, kind;
  std::string_view raw;
  for (const auto& f : unknown) {
    if (f.number == 1) {
      std::vector<Field> tm;
      if (!Parse(f.bytes, &tm)) return bad;
      for (const auto& t : tm) {
        if (t.number == 1) api_version = std::string(t.bytes);
        if (t.number == 2) kind = std::string(t.bytes);
      }
    }
    if (f.number == 2) raw = f.bytes;
  }
  if (api_version != "v1" || (kind != "Namespace" && kind != "ConfigMap" && kind != "Secret" && kind != "ServiceAccount")) {
    return UnsupportedMediaType(false, true);
  }
  std::vector<Field> fs;
  if (!Parse(raw, &fs)) return bad;
  Object obj = Object{{"apiVersion", api_version}, {"kind", kind}, {"metadata", Object::object()}};
  for (const auto& f : fs) {
    if (f.number == 1 && f.wire == 2) {
      if (!Meta(f.bytes, &obj["metadata"])) return bad;
      continue;
    }
    if (kind == "ConfigMap" && (f.number == 2 || f.number == 3) && f.wire == 2) {
      std::string k, v;
      if (!MapEntry(f.bytes, &k, &v)) return bad;
      if (f.number == 2) obj["data"][k] = v;
      if (f.number == 3) obj["binaryData"][k] = Base64(v);
    }
    if (kind == "ConfigMap" && f.number == 4 && f.wire == 0) obj["immutable"] = f.varint != 0;
    if (kind == "Secret" && (f.number == 2 || f.number == 4) && f.wire == 2) {
      std::string k, v;
      if (!MapEntry(f.bytes, &k, &v)) return bad;
      if (f.number == 2) obj["data"][k] = Base64(v);
      if (f.number == 4) obj["stringData"][k] = v;
    }
    if (kind == "Secret" && f.number == 3 && f.wire == 2 && !f.bytes.empty()) obj["type"] = std::string(f.bytes);
    if (kind == "Secret" && f.number == 5 && f.wire == 0) obj["immutable"] = f.varint != 0;
    if (kind == "ServiceAccount" && f.number == 4 && f.wire == 0) obj["automountServiceAccountToken"] = f.varint != 0;
    if (kind == "Namespace" && f.number == 2 && f.wire == 2) {
      std::vector<Field> spec;
      if (!Parse(f.bytes, &spec)) return bad;
      for (const auto& s : spec) {
        if (s.number == 1) obj["spec"]["finalizers"].push_back(std::string(s.bytes));
      }
    }
  }
  *out = std::move(obj);
  return std::nullopt;
}

}  // namespace gitopsd::kubesim
