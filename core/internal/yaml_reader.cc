#include "core/internal/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/internal/yaml_scalar.h"
#include "core/internal/yaml_text.h"

namespace gitopsd::yaml_internal {
namespace {

// An istream over caller-owned bytes, without copying them.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // never written through
    setg(p, p, p + text.size());
  }
};

// Thrown inside the event handler, caught in ReadDocuments.
struct BuildError {
  Status status;
};

struct Frame {
  Object value;                 // array or object under construction
  bool is_map = false;
  bool have_key = false;        // maps: a key is waiting for its value
  bool key_is_merge = false;    // ... and it is `<<`
  std::string key;
  int key_line = 0;
  std::vector<int> key_lines;   // maps: line of each key, in insertion order
  std::vector<Object> merges;   // maps: `<<` sources, earliest first
  YAML::anchor_t anchor = YAML::NullAnchor;
  int line = 0;
  size_t nodes = 1;             // nodes in this subtree (alias budget)
  std::string pointer;          // JSON pointer, with record_lines
};

struct Anchor {
  Object value;
  size_t nodes = 0;
  bool complete = false;
};

std::string EscapePointerToken(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

// True when the node at `pos` (its properties, then its content) is a
// folded block scalar (`>`).
bool IsFoldedBlockAt(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == '!' || text[pos] == '&')) {
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\n') ++pos;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' ||
                                 text[pos] == '\r')) {
      ++pos;
    }
  }
  return pos < text.size() && text[pos] == '>';
}

class Builder : public YAML::EventHandler {
 public:
  Builder(std::string_view text, const YamlReadOptions& options, std::vector<YamlDocument>& docs)
      : text_(text), options_(options), docs_(docs) {
    stack_.reserve(16);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    stack_.clear();
    anchors_.clear();
    doc_ = YamlDocument();
    doc_.line = mark.line + 1;
    saw_node_ = false;
  }

  void OnDocumentEnd() override { docs_.push_back(std::move(doc_)); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Deliver(Object(nullptr), mark, anchor, 1, "null", false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor].complete) {
      Fail(mark, "anchor value contains itself");
    }
    const Anchor& a = anchors_[anchor];
    expanded_ += a.nodes;
    if (expanded_ > options_.max_alias_expanded_nodes) {
      throw BuildError{ResourceExhausted(
          Where(mark) + "document contains excessive aliasing (more than " +
          std::to_string(options_.max_alias_expanded_nodes) + " nodes from alias expansion)")};
    }
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      if (a.value.is_object() || a.value.is_array()) Fail(mark, "a mapping key must be a scalar");
      SetKey(mark, a.value.is_string() ? a.value.get<std::string>() : a.value.dump(), false);
      return;
    }
    Deliver(Object(a.value), mark, YAML::NullAnchor, a.nodes, std::string(), false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key && !anchor) {
      SetKey(mark, value, tag == "?" && value == "<<");  // keys stay text
      return;
    }
    Object v;
    if (tag == "?") {
      v = ResolvePlainScalar(value);
    } else {
      const bool folded = IsFoldedBlockAt(text_, static_cast<size_t>(mark.pos));
      const std::string& text = folded ? folded_ = RefoldLikeKustomize(value) : value;
      if (tag == "!") {
        v = Object(text);
      } else {
        std::string error;
        std::optional<Object> r = ResolveTaggedScalar(tag, text, &error);
        if (!r) Fail(mark, error);
        v = std::move(*r);
      }
    }
    Deliver(std::move(v), mark, anchor, 1, value, tag == "?" && value == "<<");
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Push(mark, anchor, false);
  }
  void OnSequenceEnd() override { Pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Push(mark, anchor, true);
  }
  void OnMapEnd() override {
    ApplyMerges(stack_.back());
    Pop();
  }

 private:
  std::string Where(const YAML::Mark& mark) const {
    std::string out;
    if (!options_.source_name.empty()) out = options_.source_name + ": ";
    out += "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": ";
    return out;
  }

  [[noreturn]] void Fail(const YAML::Mark& mark, const std::string& message) const {
    throw BuildError{InvalidArgument(Where(mark) + message)};
  }

  void NoteFirstNode(const YAML::Mark& mark) {
    if (!saw_node_) {
      saw_node_ = true;
      doc_.line = mark.line + 1;
    }
  }

  std::string ChildPointer() const {
    if (stack_.empty()) return std::string();
    const Frame& top = stack_.back();
    if (top.is_map) return top.pointer + "/" + EscapePointerToken(top.key);
    return top.pointer + "/" + std::to_string(top.value.size());
  }

  void SetKey(const YAML::Mark& mark, std::string key, bool is_merge) {
    Frame& top = stack_.back();
    top.key = std::move(key);
    top.key_line = mark.line + 1;
    top.key_is_merge = is_merge;
    top.have_key = true;
  }

  void Push(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    NoteFirstNode(mark);
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      Fail(mark, "a mapping key must be a scalar");
    }
    Frame f;
    f.is_map = is_map;
    f.value = is_map ? Object::object() : Object::array();
    f.anchor = anchor;
    f.line = mark.line + 1;
    if (options_.record_lines) f.pointer = ChildPointer();
    if (anchor) Reserve(anchor);
    stack_.push_back(std::move(f));
  }

  void Pop() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    YAML::Mark mark;
    mark.line = f.line - 1;
    if (f.anchor) Store(f.anchor, f.value, f.nodes);
    Place(std::move(f.value), mark, f.nodes, f.pointer);
  }

  void Reserve(YAML::anchor_t anchor) {
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchor();
  }

  void Store(YAML::anchor_t anchor, const Object& value, size_t nodes) {
    Reserve(anchor);
    anchors_[anchor].value = value;
    anchors_[anchor].nodes = nodes;
    anchors_[anchor].complete = true;
  }

  // A finished scalar, null or alias.
  void Deliver(Object v, const YAML::Mark& mark, YAML::anchor_t anchor, size_t nodes,
               const std::string& key_text, bool is_merge) {
    NoteFirstNode(mark);
    if (anchor) Store(anchor, v, nodes);
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().have_key) {
      if (v.is_object() || v.is_array()) Fail(mark, "a mapping key must be a scalar");
      SetKey(mark, key_text, is_merge);
      return;
    }
    Place(std::move(v), mark, nodes, options_.record_lines ? ChildPointer() : std::string());
  }

  // Adds a finished node to its parent (or makes it the document's root).
  void Place(Object v, const YAML::Mark& mark, size_t nodes, const std::string& pointer) {
    if (options_.record_lines) doc_.lines[pointer] = mark.line + 1;
    if (stack_.empty()) {
      doc_.value = std::move(v);
      return;
    }
    Frame& top = stack_.back();
    top.nodes += nodes;
    if (!top.is_map) {
      top.value.get_ref<Object::array_t&>().push_back(std::move(v));
      return;
    }
    top.have_key = false;
    if (top.key_is_merge) {
      AddMerge(top, std::move(v), mark);
      return;
    }
    auto& map = static_cast<Object::object_t::Container&>(top.value.get_ref<Object::object_t&>());
    for (size_t i = 0; i < map.size(); ++i) {
      if (map[i].first == top.key) {
        if (options_.allow_duplicate_keys) {  // the last occurrence wins
          map[i].second = std::move(v);
          return;
        }
        YAML::Mark key_mark;
        key_mark.line = top.key_line - 1;
        key_mark.column = mark.column;
        Fail(key_mark, "mapping key \"" + top.key + "\" already defined at line " +
                           std::to_string(top.key_lines[i]));
      }
    }
    map.emplace_back(std::move(top.key), std::move(v));
    top.key_lines.push_back(top.key_line);
  }

  void AddMerge(Frame& top, Object v, const YAML::Mark& mark) {
    if (v.is_object()) {
      top.merges.push_back(std::move(v));
      return;
    }
    if (v.is_array()) {
      bool all_maps = true;
      for (const auto& item : v) all_maps = all_maps && item.is_object();
      if (all_maps) {
        for (auto& item : v) top.merges.push_back(std::move(item));
        return;
      }
    }
    Fail(mark, "map merge requires map or sequence of maps as the value");
  }

  // Explicit keys win over merged ones; earlier merge sources win over later.
  static void ApplyMerges(Frame& f) {
    if (f.merges.empty()) return;
    auto& map = static_cast<Object::object_t::Container&>(f.value.get_ref<Object::object_t&>());
    for (auto& source : f.merges) {
      for (auto& [k, v] : source.get_ref<Object::object_t&>()) {
        bool present = false;
        for (const auto& existing : map) {
          if (existing.first == k) {
            present = true;
            break;
          }
        }
        if (!present) {
          map.emplace_back(k, std::move(v));
          f.key_lines.push_back(0);
        }
      }
    }
    f.merges.clear();
  }

  std::string_view text_;
  std::string folded_;  // scratch for RefoldLikeKustomize
  const YamlReadOptions& options_;
  std::vector<YamlDocument>& docs_;
  std::vector<Frame> stack_;
  std::vector<Anchor> anchors_;
  YamlDocument doc_;
  bool saw_node_ = false;
  size_t expanded_ = 0;
};

}  // namespace

Result<std::vector<YamlDocument>> ReadDocuments(std::string_view text,
                                                const YamlReadOptions& options) {
  RETURN_IF_ERROR(PreflightCheck(text, options));
  std::vector<YamlDocument> docs;
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  try {
    YAML::Parser parser(in);
    Builder builder(text, options, docs);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const BuildError& e) {
    return e.status;
  } catch (const YAML::Exception& e) {
    std::string out;
    if (!options.source_name.empty()) out = options.source_name + ": ";
    if (!e.mark.is_null()) {
      out += "line " + std::to_string(e.mark.line + 1) + ", column " +
             std::to_string(e.mark.column + 1) + ": ";
    }
    return InvalidArgument(out + e.msg);
  } catch (const std::exception& e) {
    std::string src = options.source_name.empty() ? "" : options.source_name + ": ";
    return InvalidArgument(src + "invalid YAML: " + e.what());
  }
  return docs;
}

}  // namespace gitopsd::yaml_internal
