import { describe, expect, it } from 'vitest';
import { proxySettings, useProxyFromEnv } from '../../src/http/proxy.js';

describe('proxySettings', () => {
  it('is null without a proxy; no_proxy alone changes nothing', () => {
    expect(proxySettings({})).toBeNull();
    expect(proxySettings({ no_proxy: 'localhost', HTTP_PROXY: '  ' })).toBeNull();
  });

  it('reads both spellings; lower case wins, as curl does', () => {
    expect(proxySettings({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', NO_PROXY: '.internal' })).toEqual({
      httpProxy: undefined,
      httpsProxy: 'http://lower:2',
      noProxy: '.internal',
    });
    expect(proxySettings({ HTTP_PROXY: 'http://proxy:3128' })).toEqual({ httpProxy: 'http://proxy:3128', httpsProxy: undefined, noProxy: undefined });
  });
});

describe('useProxyFromEnv', () => {
  it.each([
    [{ https_proxy: 'proxy.example:3128' }, /^https_proxy: .*expected http:\/\/host:port/],
    [{ http_proxy: 'socks5://127.0.0.1:1080' }, /^http_proxy: socks5: proxies are not supported/],
    [{ HTTP_PROXY: 'not a url' }, /^http_proxy: not a URL/],
  ])('%j is refused with the variable named', (env, message) => {
    expect(() => useProxyFromEnv(env)).toThrow(message);
  });
});
