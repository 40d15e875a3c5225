package io.weft.network;

import io.vertx.core.net.SocketAddress;

/** A parsed {@code host:port} peer address (IPv6 hosts in brackets: {@code [::1]:7000}). */
public record HostPort(String host, int port) {

  /** Largest address accepted from config or from a peer, in bytes (reference limit). */
  public static final int MAX_LENGTH = 1024;

  /** @throws IllegalArgumentException with a one-line reason when {@code address} is not host:port */
  public static HostPort parse(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("empty peer address");
    }
    if (address.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("peer address longer than " + MAX_LENGTH + " bytes");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("peer address must be host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer address has a bad port: '" + address + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer address port out of range: '" + address + "'");
    }
    return new HostPort(host, port);
  }

  public SocketAddress toSocketAddress() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
