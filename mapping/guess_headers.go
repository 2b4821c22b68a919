package mapping

import (
	"strings"
	"unicode"
)

// This file is the data of `mapping init`: the headers that real exports
// and forms write, normalised by normHeader, and what each stands for.

// Pseudo targets of a header synonym, beside the API field names and
// targetAccount.
const (
	targetAccount  = "account"
	targetFullName = "(full name)" // a whole name: the API wants first and last apart
	targetIgnore   = "(ignore)"    // known not to be a lead field: never guessed from its values
)

// headerSynonym says what one normalised header stands for.
type headerSynonym struct {
	key    string
	target string // an API field name, targetAccount, targetFullName or targetIgnore
	// weak headers ("Date", "ID", "Region") are generic words: they take a
	// field only when no strong header does, and when the values agree.
	weak bool
	// rank orders columns of one target: lower is preferred (a mobile
	// number over a work one), after how many of their values are good.
	rank int
}

// headerOrigin is an exporter or a language and the headers it writes.
type headerOrigin struct {
	name string // "" for the generic English headers
	// signatures are normalised headers that only this exporter writes; a
	// header containing one names the exporter in the comments.
	signatures []string
	synonyms   []headerSynonym
}

// syn, weak, ranked and ignore build table entries tersely.
func syn(target string, keys ...string) []headerSynonym {
	out := make([]headerSynonym, len(keys))
	for i, k := range keys {
		out[i] = headerSynonym{key: k, target: target}
	}
	return out
}

func weak(target string, keys ...string) []headerSynonym {
	out := syn(target, keys...)
	for i := range out {
		out[i].weak = true
	}
	return out
}

func ranked(target string, rank int, keys ...string) []headerSynonym {
	out := syn(target, keys...)
	for i := range out {
		out[i].rank = rank
	}
	return out
}

func ignore(keys ...string) []headerSynonym { return syn(targetIgnore, keys...) }

func concat(parts ...[]headerSynonym) []headerSynonym {
	var out []headerSynonym
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// headerOrigins lists the known headers. A function, not a package
// variable, so that nothing can change the table; Guess builds its index
// once per call.
func headerOrigins() []headerOrigin {
	return []headerOrigin{
		{name: "", synonyms: concat(
			syn("firstName", "firstname", "first", "fname", "givenname", "forename"),
			syn("lastName", "lastname", "last", "lname", "surname", "familyname"),
			ranked("phone", 0, "mobile", "mobilephone", "mobilenumber", "mobilephonenumber", "cell", "cellphone", "cellnumber", "cellphonenumber"),
			ranked("phone", 1, "phone", "phonenumber", "phoneno", "tel", "telephone", "telephonenumber", "primaryphone", "phone1",
				"contactnumber", "contactphone"),
			ranked("phone", 2, "homephone", "workphone", "businessphone", "phone2", "otherphone"),
			syn("email", "email", "emailaddress", "mail", "emailaddr", "primaryemail", "personalemail"),
			ranked("email", 1, "workemail", "email2"),
			syn("state", "state", "stateprovince", "province", "statecode", "stateabbr", "stateregion", "stateorprovince"),
			syn("city", "city", "town", "citytown"),
			syn("zip", "zip", "zipcode", "postalcode", "postcode", "postal", "zip5", "zippostalcode", "zippostcode"),
			syn("timestamp", "timestamp", "leaddate", "createdat", "created", "datecreated", "createddate", "createdon", "createdtime",
				"createdate", "dateadded", "signupdate", "optindate", "leadtimestamp", "submittedat", "submissiondate", "submittedon",
				"datesubmitted", "entrydate", "leadcreated", "optintimestamp"),
			weak("timestamp", "date", "datetime", "time"),
			syn("ipAddress", "ip", "ipaddress", "ipaddr", "ipv4", "useripaddress", "clientip"),
			syn("sourceId", "source", "sourceid", "leadsource"),
			syn("jornayaLeadId", "jornaya", "jornayaleadid", "jornayaid", "leadidtoken", "universalleadid"),
			syn("trustedFormId", "trustedform", "trustedformid", "trustedformurl", "trustedformcert", "trustedformcerturl",
				"xxtrustedformcerturl", "xxtrustedformtoken", "trustedformcertificate"),
			syn("street", "street", "address", "streetaddress", "address1", "addressline1", "street1", "streetaddress1"),
			syn("agentExternalId", "agent", "agentid", "agentexternalid"),
			syn("externalId", "externalid", "customerid", "crmid", "recordid", "contactid", "clientid", "leadid"),
			weak("externalId", "id"),
			syn(targetAccount, "accountid", "account", "shopid", "accountnumber", "accountno"),
			weak(targetFullName, "name"),
			syn(targetFullName, "fullname", "contactname", "leadname", "customername", "clientname"),
			ignore("fax", "faxnumber", "country", "countrycode", "countryregion", "company", "companyname", "title", "jobtitle",
				"dateofbirth", "birthdate", "birthday", "dob", "age", "gender", "website", "lastmodified", "lastmodifieddate",
				"modifieddate", "updatedat", "lastupdated", "lastactivitydate", "notes", "note", "comments", "tags"),
		)},
		{name: "HubSpot",
			signatures: []string{"stateregion", "createdate", "lifecyclestage", "countryregion", "lastactivitydate", "associatedcompany"},
			synonyms: concat(
				syn("externalId", "recordid"),
				syn("firstName", "firstname"), syn("lastName", "lastname"), syn("email", "email"),
				ranked("phone", 0, "mobilephonenumber"), ranked("phone", 1, "phonenumber"),
				syn("street", "streetaddress"), syn("city", "city"), syn("state", "stateregion"), syn("zip", "postalcode", "zipcode"),
				syn("timestamp", "createdate"), syn("ipAddress", "ipaddress"), syn("sourceId", "originalsource"),
				ignore("contactowner", "lifecyclestage", "leadstatus", "lastactivitydate", "countryregion", "ipcity",
					"ipstateregion", "ipcountry", "associatedcompany", "lastmodifieddate"),
			)},
		{name: "Salesforce",
			signatures: []string{"zippostalcode", "mailingzippostalcode", "mailingstateprovince", "mailingpostalcode", "isdeleted",
				"masterrecordid", "systemmodstamp", "createdbyid"},
			synonyms: concat(
				syn("firstName", "firstname"), syn("lastName", "lastname"), syn("email", "email"),
				ranked("phone", 0, "mobile", "mobilephone"), ranked("phone", 1, "phone"), ranked("phone", 2, "homephone"),
				syn("street", "street", "mailingstreet"), syn("city", "city", "mailingcity"),
				syn("state", "stateprovince", "state", "mailingstateprovince", "mailingstate"),
				syn("zip", "zippostalcode", "postalcode", "mailingzippostalcode", "mailingpostalcode"),
				syn("timestamp", "createddate"), syn("externalId", "leadid", "contactid"), weak("externalId", "id"),
				syn("sourceId", "leadsource"), weak(targetFullName, "name"),
				ignore("isdeleted", "masterrecordid", "systemmodstamp", "lastmodifieddate", "createdbyid", "lastmodifiedbyid",
					"ownerid", "leadowner", "contactowner", "mailingcountry"),
			)},
		{name: "Zoho",
			signatures: []string{"modifiedtime", "lastactivitytime"},
			synonyms: concat(
				syn("externalId", "recordid"), syn("firstName", "firstname"), syn("lastName", "lastname"), syn("email", "email"),
				ranked("phone", 0, "mobile"), ranked("phone", 1, "phone"), syn("street", "street"), syn("city", "city"),
				syn("state", "state"), syn("zip", "zipcode"), syn("timestamp", "createdtime"), syn("sourceId", "leadsource"),
				ignore("leadowner", "modifiedtime", "lastactivitytime", "leadstatus", "createdby", "modifiedby"),
			)},
		// Pipedrive prefixes a person's fields with "Person - "; normHeader's
		// caller also tries each header without it.
		{name: "Pipedrive",
			signatures: []string{"personname", "personphone", "personemail", "personcreated", "phonework", "emailwork", "phonemobile"},
			synonyms: concat(
				syn("firstName", "firstname"), syn("lastName", "lastname"), syn(targetFullName, "name"),
				ranked("phone", 0, "phonemobile"), ranked("phone", 1, "phone", "phonework"), ranked("phone", 2, "phonehome", "phoneother"),
				ranked("email", 0, "email", "emailwork"), ranked("email", 1, "emailhome", "emailother"),
				syn("timestamp", "personcreated"), syn("externalId", "personid"), weak("externalId", "id"),
				syn("zip", "postaladdresszippostalcode"), syn("city", "postaladdresscitytownvillagelocality"),
				syn("state", "postaladdressstatecounty"),
			)},
		{name: "Dynamics 365",
			signatures: []string{"address1postalcode", "address1zippostalcode", "address1city", "address1stateorprovince",
				"address1stateprovince", "createdon", "emailaddress1", "telephone1"},
			synonyms: concat(
				syn("firstName", "firstname"), syn("lastName", "lastname"), syn(targetFullName, "fullname"),
				syn("email", "emailaddress1", "email"), ranked("phone", 0, "mobilephone"), ranked("phone", 1, "telephone1"),
				ranked("phone", 2, "businessphone"),
				syn("street", "address1line1", "address1street1"), syn("city", "address1city"),
				syn("state", "address1stateorprovince", "address1stateprovince"),
				syn("zip", "address1postalcode", "address1zippostalcode"), syn("timestamp", "createdon"),
				syn("externalId", "contactid", "leadid"),
			)},
		{name: "Marketo",
			signatures: []string{"personsource", "acquisitionprogram", "leadscore"},
			synonyms: concat(
				weak("externalId", "id"), syn("firstName", "firstname"), syn("lastName", "lastname"), syn("email", "emailaddress"),
				ranked("phone", 0, "mobilephonenumber"), ranked("phone", 1, "phonenumber"), syn("street", "address"),
				syn("city", "city"), syn("state", "state"), syn("zip", "postalcode"), syn("timestamp", "createdat"),
				ranked("sourceId", 0, "leadsource"), ranked("sourceId", 1, "personsource"),
				ignore("acquisitionprogram", "leadscore", "updatedat"),
			)},
		{name: "Mailchimp",
			signatures: []string{"memberrating", "optintime", "confirmtime", "leid", "euid", "gmtoff"},
			synonyms: concat(
				syn("email", "emailaddress"), syn("firstName", "firstname"), syn("lastName", "lastname"),
				syn("phone", "phonenumber"), syn("street", "address"),
				ranked("timestamp", 0, "optintime"), ranked("timestamp", 1, "confirmtime"),
				ranked("ipAddress", 0, "optinip"), ranked("ipAddress", 1, "confirmip"),
				ranked("externalId", 0, "euid"), ranked("externalId", 1, "leid"),
				// REGION is where the IP address was placed, not the address.
				ignore("memberrating", "latitude", "longitude", "gmtoff", "dstoff", "timezone", "cc", "region", "lastchanged"),
			)},
		{name: "Facebook Lead Ads",
			signatures: []string{"adsetname", "adsetid", "formid", "formname", "isorganic", "adname"},
			synonyms: concat(
				weak("externalId", "id"), syn("timestamp", "createdtime"), syn(targetFullName, "fullname"),
				syn("firstName", "firstname"), syn("lastName", "lastname"), syn("email", "email"), syn("phone", "phonenumber"),
				syn("city", "city"), syn("state", "state"), syn("zip", "zipcode", "postcode"), syn("street", "streetaddress"),
				ignore("adid", "adname", "adsetid", "adsetname", "campaignid", "campaignname", "formid", "formname", "isorganic",
					"platform", "leadstatus"),
			)},
		{name: "Google Forms",
			synonyms: concat(syn("timestamp", "timestamp"), syn("email", "emailaddress")),
		},
		{name: "German", synonyms: concat(
			syn("firstName", "vorname"), syn("lastName", "nachname", "familienname", "zuname"),
			ranked("phone", 0, "handy", "handynummer", "mobil", "mobiltelefon", "mobilnummer", "mobilfunknummer"),
			ranked("phone", 1, "telefon", "telefonnummer", "rufnummer"),
			syn("zip", "plz", "postleitzahl"), syn("city", "ort", "stadt", "wohnort"), syn("state", "bundesland"),
			syn("street", "strasse", "strasseundhausnummer", "strassehausnummer", "strassenr", "anschrift", "adresse"),
			syn("email", "emailadresse"),
			syn("timestamp", "erstelltam", "erstellungsdatum", "angelegtam", "anlagedatum", "eingangsdatum", "zeitstempel"),
			weak("timestamp", "datum"),
			syn("externalId", "kundennummer", "kundenid"), syn("ipAddress", "ipadresse"), syn("sourceId", "quelle"),
			syn(targetFullName, "vollstandigername"),
			ignore("geburtsdatum", "land", "firma", "anrede"),
		)},
		{name: "Spanish", synonyms: concat(
			syn("firstName", "nombre", "nombres"), syn("lastName", "apellido", "apellidos"),
			ranked("phone", 0, "telefonomovil", "movil", "celular"), ranked("phone", 1, "telefono", "numerodetelefono"),
			syn("zip", "codigopostal", "cp"), syn("city", "ciudad", "localidad", "municipio"),
			syn("state", "estado", "provincia", "estadoprovincia"),
			syn("email", "correo", "correoelectronico"),
			syn("timestamp", "fechadecreacion", "fechacreacion", "fechaderegistro", "fechayhora"), weak("timestamp", "fecha"),
			syn("street", "direccion", "calle", "domicilio"), syn("ipAddress", "direccionip"),
			syn(targetFullName, "nombrecompleto"),
			ignore("fechadenacimiento", "pais", "empresa"),
		)},
		{name: "French", synonyms: concat(
			syn("firstName", "prenom"), syn("lastName", "nom", "nomdefamille"),
			ranked("phone", 0, "portable", "telephoneportable", "telephonemobile"), ranked("phone", 1, "telephone", "numerodetelephone"),
			syn("zip", "codepostal", "cp"), syn("city", "ville", "commune"), weak("state", "region"),
			syn("email", "adresseemail", "adressemail", "adresseelectronique", "courriel"),
			syn("timestamp", "datedecreation", "datecreation", "datedinscription", "dateinscription"),
			syn("street", "adresse", "rue"), syn("ipAddress", "adresseip"),
			syn(targetFullName, "nomcomplet"),
			ignore("datedenaissance", "pays", "societe", "entreprise", "civilite"),
		)},
		{name: "Portuguese", synonyms: concat(
			weak("firstName", "nome"), syn("firstName", "primeironome"), syn("lastName", "sobrenome", "ultimonome"),
			ranked("phone", 0, "celular", "telemovel"), ranked("phone", 1, "telefone"),
			syn("zip", "cep", "codigopostal"), syn("city", "cidade", "municipio"), syn("state", "estado", "uf"),
			syn("email", "correioeletronico"),
			syn("timestamp", "datadecriacao", "datacriacao", "datadecadastro", "datadeinscricao"), weak("timestamp", "data"),
			syn("street", "endereco", "rua", "logradouro"), syn("ipAddress", "enderecoip"),
			syn(targetFullName, "nomecompleto"),
			ignore("datadenascimento", "pais", "empresa"),
		)},
	}
}

// normHeader folds a header to the table's form: lower case, accents
// removed (ß as ss), letters and digits only. "E-Mail-Adresse" ->
// "emailadresse", "Código postal" -> "codigopostal". Letters outside Latin
// are kept as they are, so such headers stay distinct.
func normHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r < 0x80:
		case r == 'ß':
			b.WriteString("ss")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'œ':
			b.WriteString("oe")
		default:
			if f := foldLatin(r); f != 0 {
				b.WriteRune(f)
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// foldLatin maps a lower-case accented Latin letter to its base letter, 0
// when it is not one.
func foldLatin(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return 'a'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'į':
		return 'i'
	case 'ñ', 'ń', 'ň':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ś', 'š':
		return 's'
	case 'ź', 'ż', 'ž':
		return 'z'
	case 'ł':
		return 'l'
	case 'ř':
		return 'r'
	case 'ť':
		return 't'
	case 'ď':
		return 'd'
	}
	return 0
}
