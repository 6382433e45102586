// interface_ipv6 against sysctl(8) (procps) on a veth pair whose IPv6 settings the
// test changes, so the combination rules (forwarding vs. redirects / router ads)
// are exercised on real kernel values.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { holdMachineLockForFile } from '../../helpers/machine-lock.ts';
import { query } from '../../helpers/sql.ts';
import { createVeth, ipJson, otherTestLink, removeLeftoverTestLinks, removeVeth, sh } from './net_helpers.ts';

await holdMachineLockForFile(removeLeftoverTestLinks);

const LINK = 'osqv6a';
after(() => removeVeth(LINK));

const sysctl = (iface: string, key: string) =>
  Number(sh('sysctl', ['-n', `net.ipv6.conf.${iface}.${key}`]).trim());

test('interface_ipv6 matches sysctl for every interface', async () => {
  createVeth(LINK);
  sh('sysctl', ['-q', '-w', `net.ipv6.conf.${LINK}.hop_limit=42`]);
  sh('sysctl', ['-q', '-w', `net.ipv6.conf.${LINK}.forwarding=1`]);
  sh('sysctl', ['-q', '-w', `net.ipv6.conf.${LINK}.accept_ra=2`]);
  sh('sysctl', ['-q', '-w', `net.ipv6.conf.${LINK}p.accept_ra=1`]);
  const rows = (await query('SELECT * FROM interface_ipv6')).filter((r) => !otherTestLink(r.interface, LINK));
  const links = ipJson<{ ifname: string }>(['link', 'show'])
    .map((l) => l.ifname)
    .filter((n) => !otherTestLink(n, LINK));
  assert.deepEqual(rows.map((r) => r.interface).sort(), [...links].sort());
  const allRedirects = sysctl('all', 'accept_redirects');
  for (const r of rows) {
    const name = String(r.interface);
    const fwd = sysctl(name, 'forwarding');
    const redirects = sysctl(name, 'accept_redirects');
    const ra = sysctl(name, 'accept_ra');
    assert.equal(r.hop_limit, sysctl(name, 'hop_limit'), name);
    assert.equal(r.forwarding_enabled, fwd, name);
    const bothOrEither = fwd ? allRedirects && redirects : allRedirects || redirects;
    assert.equal(r.redirect_accept, bothOrEither ? 1 : 0, name);
    assert.equal(r.rtadv_accept, ra === 2 ? 1 : ra && !fwd ? 1 : 0, name);
  }
  const mine = rows.find((r) => r.interface === LINK);
  assert.deepEqual(mine, {
    interface: LINK,
    hop_limit: 42,
    forwarding_enabled: 1,
    redirect_accept: allRedirects && sysctl(LINK, 'accept_redirects') ? 1 : 0,
    rtadv_accept: 1,
  });
  assert.equal(
    rows.find((r) => r.interface === `${LINK}p`)?.rtadv_accept,
    sysctl(`${LINK}p`, 'forwarding') ? 0 : 1,
  );
});
