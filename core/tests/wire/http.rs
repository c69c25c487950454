//! Tests of pool-id parsing, endpoints and HTTP/1.1 request framing.

use cognito_core::wire::{
    Endpoint, Operation, http_request_len, pool_name_of_pool_id, region_of_pool_id,
    write_http_request,
};
use cognito_core::{BufferTooSmall, Misuse};

#[test]
fn exact_request_bytes() {
    let body = br#"{"AccessToken":"t"}"#;
    let mut buf = [0u8; 512];
    let len = write_http_request(
        &mut buf,
        "cognito-idp.eu-west-1.amazonaws.com",
        Operation::GetUser,
        body,
        &[("User-Agent", "cognito-rs/0.1"), ("Connection", "close")],
    )
    .unwrap();
    let expected = "POST / HTTP/1.1\r\n\
        Host: cognito-idp.eu-west-1.amazonaws.com\r\n\
        Content-Type: application/x-amz-json-1.1\r\n\
        X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\n\
        Content-Length: 19\r\n\
        User-Agent: cognito-rs/0.1\r\n\
        Connection: close\r\n\
        \r\n\
        {\"AccessToken\":\"t\"}";
    assert_eq!(std::str::from_utf8(&buf[..len]).unwrap(), expected);
    assert_eq!(
        http_request_len(
            "cognito-idp.eu-west-1.amazonaws.com",
            Operation::GetUser,
            body,
            &[("User-Agent", "cognito-rs/0.1"), ("Connection", "close")],
        ),
        len
    );

    let len =
        write_http_request(&mut buf, "localhost:9229", Operation::SignUp, b"{}", &[]).unwrap();
    assert_eq!(
        std::str::from_utf8(&buf[..len]).unwrap(),
        "POST / HTTP/1.1\r\nHost: localhost:9229\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: 2\r\n\r\n{}"
    );
}

#[test]
fn buffer_too_small_is_untouched() {
    let needed = http_request_len("h", Operation::InitiateAuth, b"{}", &[]);
    for size in [0, 1, needed - 1] {
        let mut buf = vec![0xEEu8; size];
        assert_eq!(
            write_http_request(&mut buf, "h", Operation::InitiateAuth, b"{}", &[]),
            Err(BufferTooSmall { required: needed })
        );
        assert!(buf.iter().all(|&b| b == 0xEE));
    }
    let mut buf = vec![0u8; needed];
    assert_eq!(
        write_http_request(&mut buf, "h", Operation::InitiateAuth, b"{}", &[]),
        Ok(needed)
    );
}

#[test]
fn regions() {
    assert_eq!(region_of_pool_id("eu-west-1_AbC"), Ok("eu-west-1"));
    assert_eq!(pool_name_of_pool_id("eu-west-1_AbC"), Ok("AbC"));
    assert_eq!(region_of_pool_id("cn-north-1_x_y"), Ok("cn-north-1"));
    assert_eq!(pool_name_of_pool_id("cn-north-1_x_y"), Ok("x_y"));
    assert_eq!(region_of_pool_id("us-gov-west-1_Z9"), Ok("us-gov-west-1"));
    for bad in [
        "",
        "_",
        "eu-west-1",
        "eu-west-1_",
        "_AbC",
        "EU-west-1_AbC",
        "eu west_AbC",
        "eu-west-1\r\n_AbC",
        "eu.west_AbC",
        "eu-wést_AbC",
    ] {
        assert_eq!(
            region_of_pool_id(bad),
            Err(Misuse::InvalidPoolId),
            "{bad:?}"
        );
        assert_eq!(
            pool_name_of_pool_id(bad),
            Err(Misuse::InvalidPoolId),
            "{bad:?}"
        );
        assert_eq!(
            Endpoint::for_pool_id(bad),
            Err(Misuse::InvalidPoolId),
            "{bad:?}"
        );
    }
}

#[test]
fn endpoints() {
    assert_eq!(
        Endpoint::for_pool_id("eu-west-1_AbC").unwrap().host(),
        "cognito-idp.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        Endpoint::for_pool_id("cn-north-1_AbC").unwrap().host(),
        "cognito-idp.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        Endpoint::aws("cn-northwest-1").unwrap().host(),
        "cognito-idp.cn-northwest-1.amazonaws.com.cn"
    );
    assert_eq!(
        Endpoint::aws_fips("us-east-1").unwrap().host(),
        "cognito-idp-fips.us-east-1.amazonaws.com"
    );
    assert_eq!(
        Endpoint::aws("us-east-1").unwrap().to_string(),
        "https://cognito-idp.us-east-1.amazonaws.com/"
    );
    assert_eq!(Endpoint::aws(""), Err(Misuse::Invalid("region")));
    assert_eq!(
        Endpoint::aws("us-east-1/evil"),
        Err(Misuse::Invalid("region"))
    );
    assert!(matches!(
        Endpoint::aws(&"a".repeat(200)),
        Err(Misuse::TooLong {
            field: "region",
            ..
        })
    ));

    assert_eq!(
        Endpoint::custom("localhost:9229").unwrap().host(),
        "localhost:9229"
    );
    assert_eq!(Endpoint::custom("[::1]:8080").unwrap().host(), "[::1]:8080");
    assert_eq!(Endpoint::custom(""), Err(Misuse::Empty("host")));
    assert!(matches!(
        Endpoint::custom(&"h".repeat(129)),
        Err(Misuse::TooLong {
            field: "host",
            max: 128
        })
    ));
    assert!(Endpoint::custom(&"h".repeat(128)).is_ok());
    for bad in ["a b", "a\r\nX: y", "a\n", "a\t", "a\0"] {
        assert!(Endpoint::custom(bad).is_err(), "{bad:?}");
    }
}
