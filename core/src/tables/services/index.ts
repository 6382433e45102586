// The service tables: Docker and LXD over their Unix sockets, cloud instance
// metadata services, curl/curl_certificate and Prometheus targets.
import type { Table } from '../framework.js';
import { azureInstanceMetadata } from './azure_instance_metadata.js';
import { azureInstanceTags } from './azure_instance_tags.js';
import { curl } from './curl.js';
import { curlCertificate } from './curl_certificate.js';
import { dockerContainerEnvs } from './docker_container_envs.js';
import { dockerContainerFsChanges } from './docker_container_fs_changes.js';
import { dockerContainerLabels } from './docker_container_labels.js';
import { dockerContainerMounts } from './docker_container_mounts.js';
import { dockerContainerNetworks } from './docker_container_networks.js';
import { dockerContainerPorts } from './docker_container_ports.js';
import { dockerContainerProcesses } from './docker_container_processes.js';
import { dockerContainerStats } from './docker_container_stats.js';
import { dockerContainers } from './docker_containers.js';
import { dockerImageHistory } from './docker_image_history.js';
import { dockerImageLabels } from './docker_image_labels.js';
import { dockerImageLayers } from './docker_image_layers.js';
import { dockerImages } from './docker_images.js';
import { dockerInfo } from './docker_info.js';
import { dockerNetworkLabels } from './docker_network_labels.js';
import { dockerNetworks } from './docker_networks.js';
import { dockerVersion } from './docker_version.js';
import { dockerVolumeLabels } from './docker_volume_labels.js';
import { dockerVolumes } from './docker_volumes.js';
import { ec2InstanceMetadata } from './ec2_instance_metadata.js';
import { ec2InstanceTags } from './ec2_instance_tags.js';
import { lxdCertificates } from './lxd_certificates.js';
import { lxdCluster } from './lxd_cluster.js';
import { lxdClusterMembers } from './lxd_cluster_members.js';
import { lxdImages } from './lxd_images.js';
import { lxdInstanceConfig } from './lxd_instance_config.js';
import { lxdInstanceDevices } from './lxd_instance_devices.js';
import { lxdInstances } from './lxd_instances.js';
import { lxdNetworks } from './lxd_networks.js';
import { lxdStoragePools } from './lxd_storage_pools.js';
import { prometheusMetrics } from './prometheus_metrics.js';
import { ycloudInstanceMetadata } from './ycloud_instance_metadata.js';

export const servicesTables: Table[] = [
  dockerContainers,
  dockerContainerLabels,
  dockerContainerMounts,
  dockerContainerNetworks,
  dockerContainerPorts,
  dockerContainerProcesses,
  dockerContainerStats,
  dockerContainerEnvs,
  dockerContainerFsChanges,
  dockerImages,
  dockerImageLabels,
  dockerImageLayers,
  dockerImageHistory,
  dockerInfo,
  dockerVersion,
  dockerNetworks,
  dockerNetworkLabels,
  dockerVolumes,
  dockerVolumeLabels,
  lxdInstances,
  lxdInstanceConfig,
  lxdInstanceDevices,
  lxdImages,
  lxdNetworks,
  lxdStoragePools,
  lxdCertificates,
  lxdCluster,
  lxdClusterMembers,
  ec2InstanceMetadata,
  ec2InstanceTags,
  azureInstanceMetadata,
  azureInstanceTags,
  ycloudInstanceMetadata,
  curl,
  curlCertificate,
  prometheusMetrics,
];
