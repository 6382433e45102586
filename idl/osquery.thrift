// osq's description of the osquery extensions protocol (Thrift IDL).
//
// Written from osquery's protocol (docs/extensions.md#the-idl).
// Field ids, names, types and method names are the wire contract: changing any of
// them breaks interoperability with osquery, osquery-go and osquery-python.
// The wire format is the binary protocol without framing (docs/extensions.md#the-wire).

namespace cpp osquery.extensions
namespace py osquery.extensions
namespace rb osquery.extensions

// A plugin request: flat string keys to string values (for tables: "action", "context", ...).
typedef map<string, string> ExtensionPluginRequest

// A plugin response: a list of rows, each row a string map.
typedef list<map<string, string>> ExtensionPluginResponse

// One option (flag) as reported by the manager's options() method.
struct InternalOptionInfo {
  1: string value,
  2: string default_value,
  3: string type,
}

// Option name -> option details.
typedef map<string, InternalOptionInfo> InternalOptionList

// What an extension tells the manager about itself when registering.
struct InternalExtensionInfo {
  1: string name,
  2: string version,
  3: string sdk_version,
  4: string min_sdk_version,
}

// The identifier the manager hands out on registration (small positive integers in practice).
typedef i64 ExtensionRouteUUID

// Plugin name -> route info rows (for tables: the column definitions).
typedef map<string, ExtensionPluginResponse> ExtensionRouteTable

// Registry name ("table", "config", "logger", ...) -> its route table.
typedef map<string, ExtensionRouteTable> ExtensionRegistry

// uuid -> extension details, as returned by extensions().
typedef map<ExtensionRouteUUID, InternalExtensionInfo> InternalExtensionList

// Status codes carried in ExtensionStatus.code (the field itself is a plain i32).
enum ExtensionCode {
  EXT_SUCCESS = 0,
  EXT_FAILED = 1,
  EXT_FATAL = 2,
}

// Outcome of a call: code 0 means success; uuid names the responder (0 for the core).
struct ExtensionStatus {
  1: i32 code,
  2: string message,
  3: ExtensionRouteUUID uuid,
}

// A status plus the rows the plugin produced.
struct ExtensionResponse {
  1: ExtensionStatus status,
  2: ExtensionPluginResponse response,
}

// Declared for completeness; no method throws it, so it never travels on the wire.
exception ExtensionException {
  1: i32 code,
  2: string message,
  3: ExtensionRouteUUID uuid,
}

// Served by every extension (and by the manager, which extends it).
service Extension {
  // Liveness check; a healthy peer answers code 0.
  ExtensionStatus ping(),

  // Invoke plugin `item` of `registry` with a request map.
  ExtensionResponse call(
    1: string registry,
    2: string item,
    3: ExtensionPluginRequest request),

  // Ask the peer to stop. A normal (not oneway) call: an empty REPLY comes back.
  void shutdown(),
}

// Served by the manager (osqueryd, or osq's core).
service ExtensionManager extends Extension {
  // Registered extensions by uuid (the core itself is not listed).
  InternalExtensionList extensions(),

  // Every option the manager knows, with current and default values.
  InternalOptionList options(),

  // Register an extension and the plugins it provides; the status carries the new uuid.
  ExtensionStatus registerExtension(
    1: InternalExtensionInfo info,
    2: ExtensionRegistry registry),

  // Remove a registered extension.
  ExtensionStatus deregisterExtension(
    1: ExtensionRouteUUID uuid),

  // Run SQL on the manager; rows come back as string maps keyed by column name.
  ExtensionResponse query(
    1: string sql),

  // Prepare SQL and return one {column: TYPE} map per result column.
  ExtensionResponse getQueryColumns(
    1: string sql),
}
