// What every plugin offers the extension server: its registry and name, the route info
// it broadcasts at registration, and an answer to `call(registry, item, request)`.
import type { PluginRequest, PluginResponse } from '@osq/idl';

/** The registries an SDK extension may offer; all four exist in every osquery core. */
export type RegistryName = 'table' | 'config' | 'logger' | 'distributed';

export const REGISTRIES: readonly RegistryName[] = ['table', 'config', 'logger', 'distributed'];

/** A plugin's answer: becomes ExtensionResponse `{status: {code, message, uuid}, response}`. */
export interface PluginResult {
  code: number;
  message: string;
  response: PluginResponse;
}

export interface Plugin {
  readonly registry: RegistryName;
  readonly name: string;
  /** Broadcast at registration (tables: their columns; other registries: []). */
  routeInfo(): PluginResponse;
  call(request: PluginRequest): PluginResult | Promise<PluginResult>;
}

export function success(response: PluginResponse = [], message = 'OK'): PluginResult {
  return { code: 0, message, response };
}

export function failure(message: string, response: PluginResponse = []): PluginResult {
  return { code: 1, message, response };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a plugin callback; a throw (or rejection) becomes a failure status with its message. */
export async function guarded(fn: () => PluginResult | Promise<PluginResult>): Promise<PluginResult> {
  try {
    return await fn();
  } catch (err) {
    return failure(errorMessage(err));
  }
}
