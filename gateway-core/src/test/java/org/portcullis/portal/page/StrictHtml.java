package org.portcullis.portal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * A portal page parsed strictly: the pages are written as well-formed XML, so any unescaped {@code <}, {@code &} or
 * quote from a dynamic value makes the parse fail or shows up as an extra element or attribute. The checks are what
 * a browser user, a screen-reader user or an attacker would notice.
 */
final class StrictHtml {
    final String source;
    final Document document;

    private StrictHtml(String source, Document document) {
        this.source = source;
        this.document = document;
    }

    static StrictHtml parse(String html) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }
            });
            Document document = builder.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
            return new StrictHtml(html, document);
        } catch (Exception e) {
            return fail("page is not well-formed: " + e.getMessage() + "\n" + html);
        }
    }

    List<Element> all(String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    List<Element> allElements() {
        return all("*");
    }

    Element only(String tag) {
        List<Element> elements = all(tag);
        assertThat(elements).as("exactly one <" + tag + ">").hasSize(1);
        return elements.get(0);
    }

    List<Attr> attributes() {
        List<Attr> attributes = new ArrayList<>();
        for (Element element : allElements()) {
            NamedNodeMap map = element.getAttributes();
            for (int i = 0; i < map.getLength(); i++) {
                attributes.add((Attr) map.item(i));
            }
        }
        return attributes;
    }

    List<Element> withAttribute(String name) {
        return allElements().stream().filter(e -> e.hasAttribute(name)).toList();
    }

    Element byId(String id) {
        List<Element> found = allElements().stream().filter(e -> id.equals(e.getAttribute("id"))).toList();
        assertThat(found).as("element #" + id).hasSize(1);
        return found.get(0);
    }

    /** Everything a user could read or a script could receive: text and attribute values. */
    String textAndAttributes() {
        StringBuilder all = new StringBuilder(document.getDocumentElement().getTextContent());
        attributes().forEach(a -> all.append('\u0001').append(a.getValue()));
        return all.toString();
    }

    /** The rules every portal page keeps, whatever its content. */
    StrictHtml assertSafeAndAccessible() {
        Element html = document.getDocumentElement();
        assertThat(html.getTagName()).isEqualTo("html");
        assertThat(html.getAttribute("lang")).isEqualTo("en");
        assertThat(source).startsWith("<!DOCTYPE html>\n");
        assertThat(all("meta")).anySatisfy(m -> assertThat(m.getAttribute("charset")).isEqualTo("utf-8"));
        assertThat(all("meta")).anySatisfy(m -> {
            assertThat(m.getAttribute("name")).isEqualTo("viewport");
            assertThat(m.getAttribute("content")).contains("width=device-width");
        });
        only("title");
        only("style");
        only("h1");
        only("main");
        only("header");

        assertThat(all("script")).as("no script element").isEmpty();
        assertThat(all("iframe")).isEmpty();
        assertThat(all("base")).as("no base element").isEmpty();
        assertThat(attributes()).as("no event handler or style attribute").noneMatch(a ->
                a.getName().toLowerCase().startsWith("on") || a.getName().equalsIgnoreCase("style"));
        for (Element element : allElements()) {
            for (String urlAttribute : List.of("href", "src", "action", "formaction")) {
                if (element.hasAttribute(urlAttribute)) {
                    String url = element.getAttribute(urlAttribute);
                    assertThat(url.startsWith("/.portcullis/") || url.startsWith("data:image/"))
                            .as(urlAttribute + " is a portal path or an inlined image: " + url).isTrue();
                }
            }
        }

        Set<String> ids = new HashSet<>();
        for (Element element : withAttribute("id")) {
            assertThat(ids.add(element.getAttribute("id"))).as("unique id " + element.getAttribute("id")).isTrue();
        }
        for (Element label : all("label")) {
            Element target = byId(label.getAttribute("for"));
            assertThat(target.getTagName()).isEqualTo("input");
            assertThat(label.getTextContent()).isNotBlank();
        }
        for (Element input : all("input")) {
            if (!input.getAttribute("type").equals("hidden")) {
                assertThat(all("label")).as("label for input " + input.getAttribute("name"))
                        .anyMatch(l -> l.getAttribute("for").equals(input.getAttribute("id")));
                assertThat(input.getAttribute("autocomplete")).isNotEmpty();
            }
        }
        assertThat(withAttribute("autofocus")).as("at most one autofocus").hasSizeLessThanOrEqualTo(1);
        for (Element img : all("img")) {
            assertThat(img.getAttribute("alt")).endsWith(" logo");
        }
        for (Element form : all("form")) {
            assertThat(form.getAttribute("method")).isEqualTo("post");
            assertThat(form.getElementsByTagName("button").getLength()).isEqualTo(1);
            List<String> hiddenNames = new ArrayList<>();
            NodeList inputs = form.getElementsByTagName("input");
            for (int i = 0; i < inputs.getLength(); i++) {
                Element input = (Element) inputs.item(i);
                if (input.getAttribute("type").equals("hidden")) {
                    hiddenNames.add(input.getAttribute("name"));
                }
            }
            assertThat(hiddenNames).as("every form carries the CSRF token").contains("csrf");
        }
        return this;
    }

    /** The raw text between {@code <style>} and {@code </style>}, exactly as a browser hashes it. */
    String styleText() {
        int start = source.indexOf("<style>") + "<style>".length();
        int end = source.indexOf("</style>", start);
        assertThat(source.indexOf("<style", end)).as("one style element").isEqualTo(-1);
        return source.substring(start, end);
    }
}
