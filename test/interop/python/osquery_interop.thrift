// osquery's extension IDL, transcribed for the interop tests from the tables of
// docs/extensions.md#the-idl (typedefs, the enum, structs,
// services) -- deliberately NOT copied from idl/osquery.thrift, so that a mistake in
// either one shows up as a wire mismatch between Python and osq.
// The tests compile it with Debian's `thrift --gen py` into a temporary directory.

namespace py osquery.extensions

// Typedefs
typedef map<string, string> ExtensionPluginRequest
typedef list<map<string, string>> ExtensionPluginResponse
typedef i64 ExtensionRouteUUID
typedef map<string, ExtensionPluginResponse> ExtensionRouteTable
typedef map<string, ExtensionRouteTable> ExtensionRegistry

// Structs (all fields default requiredness)
struct InternalOptionInfo {
  1: string value,
  2: string default_value,
  3: string type,
}

typedef map<string, InternalOptionInfo> InternalOptionList

struct InternalExtensionInfo {
  1: string name,
  2: string version,
  3: string sdk_version,
  4: string min_sdk_version,
}

typedef map<ExtensionRouteUUID, InternalExtensionInfo> InternalExtensionList

// The enum: no field uses this type; `code` fields are plain i32.
enum ExtensionCode {
  EXT_SUCCESS = 0,
  EXT_FAILED = 1,
  EXT_FATAL = 2,
}

struct ExtensionStatus {
  1: i32 code,
  2: string message,
  3: ExtensionRouteUUID uuid,
}

struct ExtensionResponse {
  1: ExtensionStatus status,
  2: ExtensionPluginResponse response,
}

// Declared, but no method throws it: it never travels on the wire.
exception ExtensionException {
  1: i32 code,
  2: string message,
  3: ExtensionRouteUUID uuid,
}

// Services: method names and argument ids are the wire contract.
service Extension {
  ExtensionStatus ping(),
  ExtensionResponse call(1: string registry, 2: string item, 3: ExtensionPluginRequest request),
  // A plain void call (not oneway): the caller waits for an empty REPLY.
  void shutdown(),
}

service ExtensionManager extends Extension {
  InternalExtensionList extensions(),
  InternalOptionList options(),
  ExtensionStatus registerExtension(1: InternalExtensionInfo info, 2: ExtensionRegistry registry),
  ExtensionStatus deregisterExtension(1: ExtensionRouteUUID uuid),
  ExtensionResponse query(1: string sql),
  ExtensionResponse getQueryColumns(1: string sql),
}
