package io.ferry.agent.adapter.libvirt;

import io.ferry.agent.app.HypervisorDriver.NumaCell;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads what the driver needs from libvirt's XML: the capabilities' host CPU and NUMA cells, a domain's CPU. */
final class LibvirtXml {

    /** The host part of {@code virConnectGetCapabilities}. */
    record HostCpu(String model, String vendor, List<String> features, List<NumaCell> cells) {
    }

    private LibvirtXml() {
    }

    static HostCpu hostCpu(String capabilitiesXml) {
        Element host = first(parse(capabilitiesXml).getDocumentElement(), "host")
                .orElseThrow(() -> new IllegalArgumentException("capabilities without <host>"));
        Element cpu = first(host, "cpu").orElseThrow(() -> new IllegalArgumentException("capabilities without <cpu>"));
        List<String> features = new ArrayList<>();
        for (Element feature : children(cpu, "feature")) {
            features.add(feature.getAttribute("name"));
        }
        List<NumaCell> cells = new ArrayList<>();
        first(host, "topology").flatMap(t -> first(t, "cells")).ifPresent(cellsElement -> {
            for (Element cell : children(cellsElement, "cell")) {
                long memoryKib = first(cell, "memory").map(m -> Long.parseLong(m.getTextContent().trim())).orElse(0L);
                int cpus = first(cell, "cpus").map(c -> Integer.parseInt(c.getAttribute("num"))).orElse(0);
                cells.add(new NumaCell(Integer.parseInt(cell.getAttribute("id")), cpus, memoryKib / 1024));
            }
        });
        return new HostCpu(text(cpu, "model"), text(cpu, "vendor"), features, cells);
    }

    /**
     * The {@code <cpu>} element of a domain's XML when it names a model a hypervisor can compare (mode
     * {@code custom}, or none given); empty for {@code host-passthrough} / {@code maximum} and for a domain that
     * leaves the CPU to the default.
     */
    static Optional<String> comparableCpu(String domainXml) {
        return first(parse(domainXml).getDocumentElement(), "cpu")
                .filter(cpu -> cpu.getAttribute("mode").isEmpty() || cpu.getAttribute("mode").equals("custom"))
                .filter(cpu -> first(cpu, "model").map(m -> !m.getTextContent().isBlank()).orElse(false))
                .map(LibvirtXml::serialise);
    }

    /** The Ferry migration a domain is marked with: which migration its job is, and where it goes. */
    record MigrationMark(String migrationUuid, String destinationHost) {
    }

    /** The mark in a domain's Ferry metadata ({@code <migration uuid='..' destination='..'/>}), if any. */
    static Optional<MigrationMark> migrationMark(String metadataXml) {
        if (metadataXml == null || metadataXml.isBlank()) {
            return Optional.empty();
        }
        Element root = parse(metadataXml).getDocumentElement();
        String tag = root.getTagName();
        String uuid = root.getAttribute("uuid");
        String destination = root.getAttribute("destination");
        return !tag.substring(tag.indexOf(':') + 1).equals("migration") || uuid.isBlank() || destination.isBlank()
                ? Optional.empty() : Optional.of(new MigrationMark(uuid, destination));
    }

    private static String text(Element parent, String name) {
        return first(parent, name).map(e -> e.getTextContent().trim()).orElse(null);
    }

    private static Optional<Element> first(Element parent, String name) {
        List<Element> all = children(parent, name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("libvirt returned XML that does not parse: " + e.getMessage(), e);
        }
    }

    private static String serialise(Element element) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise <" + element.getTagName() + ">", e);
        }
    }
}
