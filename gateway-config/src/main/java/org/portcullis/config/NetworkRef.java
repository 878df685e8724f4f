package org.portcullis.config;

import java.util.List;

/** A rule's network term as written ({@code trust_lan} or {@code 10.0.0.0/8}) with the networks it stands for. */
public record NetworkRef(String label, List<Cidr> cidrs) {
    public NetworkRef {
        cidrs = List.copyOf(cidrs);
    }
}
