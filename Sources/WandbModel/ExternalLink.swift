import JSON

/// A labelled link shown on a queue's page. On the wire a queue's links are
/// `{"links": [{"label": .., "url": ..}]}`.
public struct ExternalLink: Sendable, Hashable, Codable {
    public var label: String
    public var url: String

    public init(label: String, url: String) {
        self.label = label
        self.url = url
    }
}

extension ExternalLink {
    /// The wire object `{"links": [...]}` for a list of links (an empty list when there are none).
    static func wireValue(_ links: [ExternalLink]) -> JSONValue {
        .object(["links": .array(links.map { .object(["label": .string($0.label), "url": .string($0.url)]) })])
    }

    /// Links from the wire object; links without a string label and url are skipped.
    static func links(fromWire value: JSONValue?) -> [ExternalLink] {
        guard let list = value?["links"]?.array else { return [] }
        return list.compactMap { item in
            guard let label = item["label"]?.string, let url = item["url"]?.string else { return nil }
            return ExternalLink(label: label, url: url)
        }
    }
}
