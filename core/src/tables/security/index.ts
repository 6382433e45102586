// Tables of the security area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { apparmorProfiles } from './apparmor_profiles.js';
import { extendedAttributes } from './extended_attributes.js';
import { kernelKeys } from './kernel_keys.js';
import { knownHosts } from './known_hosts.js';
import { selinuxSettings } from './selinux_settings.js';
import { shadow } from './shadow.js';
import { sshConfigs } from './ssh_configs.js';
import { sudoers } from './sudoers.js';
import { suidBin } from './suid_bin.js';
import { userSshKeys } from './user_ssh_keys.js';

export const securityTables: Table[] = [
  shadow,
  sudoers,
  suidBin,
  kernelKeys,
  knownHosts,
  userSshKeys,
  sshConfigs,
  selinuxSettings,
  apparmorProfiles,
  extendedAttributes,
];
