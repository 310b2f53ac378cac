package io.tlswatch.client;

/** Told the machine of every answer the server decided, to keep the heartbeats in step with it. */
interface MachineListener {

    /**
     * @param machine this installation's machine as a valid answer described it; {@code null} when the answer
     *                was not valid or named no machine (no heartbeats are due then)
     */
    void follow(Machine machine);
}
