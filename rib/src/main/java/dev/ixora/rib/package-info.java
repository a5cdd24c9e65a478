/**
 * Routing tables: Adj-RIB-In (pre-policy), the decision process, the Loc-RIB change stream and the
 * per-client route-server views (RFC 4271 section 9, RFC 7947).
 *
 * <p>How the rest of Ixora uses it:
 * <pre>{@code
 * Rib rib = new Rib();                                  // RFC 4271 defaults, next hops on the LAN
 * RibExecutor ribThread = new RibExecutor(rib);         // the one writer thread
 * rib.routeServer().onPending(clientId -> wakeWriter(clientId));   // set before submitting
 *
 * // session established / update received / session lost (from the Netty event loop):
 * ribThread.submit(List.of(new RibEvent.PeerUp(new PeerInfo(id, addr, asn, bgpId, true, true,
 *         ImportPolicy.ACCEPT, ExportPolicy.ACCEPT))));
 * ribThread.submit(RibEvent.fromUpdate(id, updateMessage));
 * ribThread.submit(List.of(new RibEvent.PeerDown(id, gracefulRestart, restartTimeSeconds)));
 *
 * // export, when the client's channel is writable (state-based: what changed, as it is now):
 * ribThread.call(r -> r.routeServer().drain(clientId, 1000)).thenAccept(routes -> encodeAndWrite(routes));
 *
 * // looking glass, SDN bridge:
 * ribThread.call(r -> r.paths(prefix));
 * ChangeSubscription sub = ribThread.call(r -> r.subscribe(false, () -> wakeBridge())).join();
 * ribThread.call(r -> sub.drainBest(1000));
 * }</pre>
 * Everything except {@link dev.ixora.rib.RibExecutor} is confined to the RIB thread.
 */
package dev.ixora.rib;
