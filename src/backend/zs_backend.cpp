#include "backend/zs_backend.hpp"

#include <string>

namespace dfrace {

std::string Misuse::describe() const {
  switch (kind) {
    case MisuseKind::kDoubleFree: return "double free of handle " + std::to_string(handle);
    case MisuseKind::kUnknownHandle: return "free of unknown handle " + std::to_string(handle);
    case MisuseKind::kNeverWrittenSlot: return "free of a slot that was never written (handle 0)";
  }
  return "misuse";
}

std::string BackendAudit::summary() const {
  std::string s = std::to_string(allocated) + " allocated, " + std::to_string(freed) + " freed, " +
                  std::to_string(live.size()) + " live";
  if (!misuse.empty()) s += ", " + std::to_string(misuse.size()) + " misuse (first: " + misuse[0].describe() + ")";
  return s;
}

}  // namespace dfrace
