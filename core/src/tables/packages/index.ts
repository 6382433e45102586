// Tables of the packages area. Each table lives in its own file; list it here.
import type { Table } from '../framework.js';
import { aptSources } from './apt_sources.js';
import { debPackageFiles } from './deb_package_files.js';
import { debPackages } from './deb_packages.js';
import { npmPackages } from './npm_packages.js';
import { portageKeywords } from './portage_keywords.js';
import { portagePackages } from './portage_packages.js';
import { portageUse } from './portage_use.js';
import { pythonPackages } from './python_packages.js';
import { rpmPackageFiles } from './rpm_package_files.js';
import { rpmPackages } from './rpm_packages.js';
import { yumSources } from './yum_sources.js';

export const packagesTables: Table[] = [
  debPackages,
  debPackageFiles,
  aptSources,
  rpmPackages,
  rpmPackageFiles,
  yumSources,
  portagePackages,
  portageUse,
  portageKeywords,
  pythonPackages,
  npmPackages,
];
